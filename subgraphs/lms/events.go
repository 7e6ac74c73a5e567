package lms

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"ergo/platform/manifest"
	"ergo/platform/modules"
	"ergo/subgraphs/lms/postgres"
)

// The event types lms publishes.
const (
	// EventAttemptSubmitted is published once per submitted attempt.
	EventAttemptSubmitted = "attempt.submitted"
	// EventCourseTeachersChanged is published whenever a course's teachers change, with the
	// whole new list: a subscriber keeps the list of the latest event (by occurredAt).
	EventCourseTeachersChanged = "course.teachers.changed"
)

// LoadSubscribers returns, per event type of lms, the enabled modules that consume it: those
// whose module.yaml lists lms.<event> in events.consumes, in ergo.yaml order. root is the
// repository root; enabled overrides ergo.yaml's choice of modules as ERGO_MODULES does.
// Modules reached by URL have no manifest here and receive nothing.
func LoadSubscribers(root, enabled string) (map[string][]string, error) {
	cfg, err := modules.Load(root, enabled)
	if err != nil {
		return nil, err
	}
	subs := map[string][]string{}
	for _, mod := range cfg.Enabled() {
		if mod.Dir == "" {
			continue
		}
		m, err := manifest.Load(root, mod.Dir)
		if err != nil {
			return nil, fmt.Errorf("module %s: %w", mod.Name, err)
		}
		for _, ev := range m.Events.Consumes {
			if typ, ok := strings.CutPrefix(ev, "lms."); ok && !slices.Contains(subs[typ], m.Name) {
				subs[typ] = append(subs[typ], m.Name)
			}
		}
	}
	return subs, nil
}

// Event is the envelope delivered to subscribers: POST {module}/events with this JSON body.
type Event struct {
	ID         uuid.UUID       `json:"id"`
	Type       string          `json:"type"`
	OccurredAt time.Time       `json:"occurredAt"`
	Payload    json.RawMessage `json:"payload"`
}

// AttemptSubmitted is the payload of an attempt.submitted event.
type AttemptSubmitted struct {
	AttemptID    uuid.UUID        `json:"attemptId"`
	QuizID       uuid.UUID        `json:"quizId"`
	CourseID     uuid.UUID        `json:"courseId"`
	EnrollmentID uuid.UUID        `json:"enrollmentId"`
	UserID       uuid.UUID        `json:"userId"`
	Score        float64          `json:"score"`
	Passed       bool             `json:"passed"`
	Correct      int              `json:"correct"`
	Total        int              `json:"total"`
	SubmittedAt  time.Time        `json:"submittedAt"`
	Answers      []AnsweredTopics `json:"answers"`
}

// AnsweredTopics is one question of a submitted attempt, with what analytics needs.
type AnsweredTopics struct {
	QuestionID uuid.UUID `json:"questionId"`
	Topics     []string  `json:"topics"`
	Difficulty int       `json:"difficulty"`
	Correct    bool      `json:"correct"`
}

// CourseTeachersChanged is the payload of a course.teachers.changed event.
type CourseTeachersChanged struct {
	CourseID   uuid.UUID   `json:"courseId"`
	TeacherIDs []uuid.UUID `json:"teacherIds"`
}

// publishTeachers writes a course.teachers.changed event with course's teachers as q sees
// them; q runs in the transaction that changed them.
func (s *Service) publishTeachers(ctx context.Context, q *postgres.Queries, course uuid.UUID) error {
	rows, err := q.TeachersOfCourses(ctx, []uuid.UUID{course})
	if err != nil {
		return dbError(ctx, "load course teachers", err)
	}
	p := CourseTeachersChanged{CourseID: course, TeacherIDs: make([]uuid.UUID, len(rows))}
	for i, r := range rows {
		p.TeacherIDs[i] = r.UserID
	}
	typ := EventCourseTeachersChanged
	return Publish(ctx, q, typ, s.now(), p, s.subscribers[typ])
}

// publishSubmitted writes the attempt.submitted event and its deliveries with q, which runs in
// the transaction that recorded the attempt.
func (s *Service) publishSubmitted(ctx context.Context, q *postgres.Queries, a *Attempt,
	e *Enrollment, questions []*Question, graded []Answer,
) error {
	p := AttemptSubmitted{
		AttemptID: a.ID, QuizID: a.QuizID, CourseID: e.CourseID,
		EnrollmentID: e.ID, UserID: e.UserID, Score: *a.Score, Passed: *a.Passed(),
		Correct: *a.Correct, Total: *a.Total, SubmittedAt: *a.SubmittedAt,
	}
	for i, q := range questions {
		p.Answers = append(p.Answers, AnsweredTopics{
			QuestionID: q.ID, Topics: q.Topics,
			Difficulty: q.Difficulty, Correct: graded[i].Correct,
		})
	}
	return Publish(ctx, q, EventAttemptSubmitted, *a.SubmittedAt, p, s.subscribers[EventAttemptSubmitted])
}

// Publish writes an event of type typ with payload to the outbox, due now for each
// subscriber. Call it with queries bound to the transaction of the change it reports.
func Publish(ctx context.Context, q *postgres.Queries, typ string, at time.Time, payload any,
	subscribers []string,
) error {
	body, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("encode %s event: %w", typ, err)
	}
	id := uuid.New()
	if err := q.AddEvent(ctx, postgres.AddEventParams{
		ID: id, Type: typ, Payload: body,
		OccurredAt: at,
	}); err != nil {
		return dbError(ctx, "write "+typ+" event", err)
	}
	for _, sub := range subscribers {
		err := q.AddDelivery(ctx, postgres.AddDeliveryParams{
			EventID: id, Subscriber: sub,
			NextAttemptAt: at,
		})
		if err != nil {
			return dbError(ctx, fmt.Sprintf("schedule %s event for %s", typ, sub), err)
		}
	}
	return nil
}
