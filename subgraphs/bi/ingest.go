package bi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"ergo/subgraphs/bi/postgres"
)

// The lms events BI learns from.
const (
	EventAttemptSubmitted      = "attempt.submitted"
	EventCourseTeachersChanged = "course.teachers.changed"
)

// Event is a delivered event: {id, type, occurredAt, payload}.
type Event struct {
	ID         uuid.UUID       `json:"id"`
	Type       string          `json:"type"`
	OccurredAt time.Time       `json:"occurredAt"`
	Payload    json.RawMessage `json:"payload"`
}

// AttemptSubmitted is the payload of an attempt.submitted event, as BI reads it.
type AttemptSubmitted struct {
	AttemptID    uuid.UUID `json:"attemptId"`
	CourseID     uuid.UUID `json:"courseId"`
	EnrollmentID uuid.UUID `json:"enrollmentId"`
	UserID       uuid.UUID `json:"userId"`
	Score        float64   `json:"score"`
	Passed       bool      `json:"passed"`
	SubmittedAt  time.Time `json:"submittedAt"`
	Answers      []struct {
		QuestionID uuid.UUID `json:"questionId"`
		Topics     []string  `json:"topics"`
		Difficulty int       `json:"difficulty"`
		Correct    bool      `json:"correct"`
	} `json:"answers"`
}

// CourseTeachersChanged is the payload of a course.teachers.changed event: the course's
// whole teacher list after the change.
type CourseTeachersChanged struct {
	CourseID   uuid.UUID   `json:"courseId"`
	TeacherIDs []uuid.UUID `json:"teacherIds"`
}

// ErrBadEvent wraps every reason ParseEvent refuses a body.
var ErrBadEvent = errors.New("bad event")

// ParseEvent decodes and checks an event body. Errors wrap ErrBadEvent.
func ParseEvent(body []byte) (Event, error) {
	var ev Event
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&ev); err != nil {
		return ev, fmt.Errorf("%w: %w", ErrBadEvent, err)
	}
	if ev.ID == uuid.Nil || ev.Type == "" || ev.OccurredAt.IsZero() || len(ev.Payload) == 0 {
		return ev, fmt.Errorf("%w: id, type, occurredAt and payload are required", ErrBadEvent)
	}
	switch ev.Type {
	case EventAttemptSubmitted:
		if _, err := parseAttempt(ev.Payload); err != nil {
			return ev, err
		}
	case EventCourseTeachersChanged:
		if _, err := parseTeachers(ev.Payload); err != nil {
			return ev, err
		}
	}
	return ev, nil
}

// maxTeachers bounds the teacher list of one event.
const maxTeachers = 1000

func parseTeachers(payload []byte) (*CourseTeachersChanged, error) {
	var c CourseTeachersChanged
	if err := json.Unmarshal(payload, &c); err != nil {
		return nil, fmt.Errorf("%w: payload: %w", ErrBadEvent, err)
	}
	if c.CourseID == uuid.Nil || c.TeacherIDs == nil || len(c.TeacherIDs) > maxTeachers {
		return nil, fmt.Errorf("%w: course.teachers.changed payload needs courseId and at most "+
			"%d teacherIds", ErrBadEvent, maxTeachers)
	}
	return &c, nil
}

func parseAttempt(payload []byte) (*AttemptSubmitted, error) {
	var a AttemptSubmitted
	if err := json.Unmarshal(payload, &a); err != nil {
		return nil, fmt.Errorf("%w: payload: %w", ErrBadEvent, err)
	}
	if a.AttemptID == uuid.Nil || a.CourseID == uuid.Nil || a.EnrollmentID == uuid.Nil ||
		a.Score < 0 || a.Score > 1 || a.SubmittedAt.IsZero() || len(a.Answers) > 1000 {
		return nil, fmt.Errorf("%w: attempt.submitted payload is incomplete or out of range", ErrBadEvent)
	}
	for i := range a.Answers {
		topics := slices.Sorted(slices.Values(a.Answers[i].Topics))
		a.Answers[i].Topics = slices.Compact(topics)
	}
	return &a, nil
}

// Ingest applies one event exactly once: it reports false, changing nothing, when the event
// id was processed before. Event types BI does not use are recorded and otherwise ignored.
func (s *Service) Ingest(ctx context.Context, ev Event) (bool, error) {
	fresh := false
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		q := s.q.WithTx(tx)
		n, err := q.MarkProcessed(ctx, postgres.MarkProcessedParams{ID: ev.ID, Type: ev.Type})
		if err != nil || n == 0 {
			return err
		}
		fresh = true
		return apply(ctx, q, ev)
	})
	if err != nil {
		return false, fmt.Errorf("ingest event %s: %w", ev.ID, err)
	}
	return fresh, nil
}

// apply records what ev tells BI; event types BI does not use change nothing.
func apply(ctx context.Context, q *postgres.Queries, ev Event) error {
	switch ev.Type {
	case EventAttemptSubmitted:
		a, err := parseAttempt(ev.Payload)
		if err != nil {
			return err
		}
		return addAttempt(ctx, q, ev.ID, a)
	case EventCourseTeachersChanged:
		c, err := parseTeachers(ev.Payload)
		if err != nil {
			return err
		}
		err = q.SetCourseTeachers(ctx, postgres.SetCourseTeachersParams{
			CourseID: c.CourseID, TeacherIds: c.TeacherIDs, AsOf: ev.OccurredAt,
		})
		if err != nil {
			return fmt.Errorf("set course teachers: %w", err)
		}
	}
	return nil
}

// addAttempt records the attempt and one answer fact per answered question and topic.
func addAttempt(ctx context.Context, q *postgres.Queries, event uuid.UUID, a *AttemptSubmitted) error {
	err := q.AddAttemptFact(ctx, postgres.AddAttemptFactParams{
		EventID:   event,
		AttemptID: a.AttemptID, CourseID: a.CourseID, EnrollmentID: a.EnrollmentID,
		UserID: a.UserID, Score: a.Score, Passed: a.Passed, OccurredAt: a.SubmittedAt,
	})
	if err != nil {
		return fmt.Errorf("add attempt fact: %w", err)
	}
	for i, ans := range a.Answers {
		for _, topic := range ans.Topics {
			err := q.AddAnswerFact(ctx, postgres.AddAnswerFactParams{
				EventID:  event,
				Position: int32(i), Topic: topic, EnrollmentID: a.EnrollmentID,
				CourseID: a.CourseID, QuestionID: ans.QuestionID,
				Difficulty: int32(ans.Difficulty), Correct: ans.Correct, OccurredAt: a.SubmittedAt,
			})
			if err != nil {
				return fmt.Errorf("add answer fact: %w", err)
			}
		}
	}
	return nil
}
