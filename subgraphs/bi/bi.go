// Package bi is ERGO's learning analytics module. It learns only from the events other
// modules deliver to it (never from their tables): per course, attempt statistics and the
// students at risk; per enrollment and topic, a mastery estimate and the weak topics that
// lms builds recommended quizzes from. Its GraphQL adapter is in graph/, its event endpoint
// in events/, database access in postgres/.
package bi

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"ergo/platform/errcode"
	"ergo/subgraphs/bi/postgres"
)

// The analytics model. Mastery of a topic is an exponentially weighted mean of the
// correctness (1 or 0) of an enrollment's answers on it, newest weighing most:
//
//	mastery = Σ_k Alpha·(1−Alpha)^k·c_k + (1−Alpha)^n·Prior
//
// where c_0 is the latest of n answers, c_1 the one before, and so on. With no answers a topic
// sits at Prior; every answer moves it Alpha of the way towards 1 or 0.
const (
	Alpha = 0.3
	Prior = 0.5
	// WeakBelow: a topic whose mastery is below it is weak.
	WeakBelow = 0.6
	// RiskBelow: an enrollment whose mean attempt score is below it is at risk.
	RiskBelow = 0.5
	// MaxAtRisk caps the at-risk list of a course.
	MaxAtRisk = 100
)

// Service holds the bi module's operations.
type Service struct {
	pool *pgxpool.Pool
	q    *postgres.Queries
}

// NewService returns a Service on pool (search path: the bi schema).
func NewService(pool *pgxpool.Pool) *Service {
	return &Service{pool: pool, q: postgres.New(pool)}
}

// Course is lms's course as bi sees it: only its id.
type Course struct {
	ID uuid.UUID
}

// Enrollment is lms's enrollment as bi sees it: only its id.
type Enrollment struct {
	ID uuid.UUID
}

// CourseAnalytics summarises a course's submitted attempts.
type CourseAnalytics struct {
	CourseID    uuid.UUID
	Attempts    int
	MeanScore   float64
	MedianScore float64
	PassRate    float64
}

// TopicMastery is the mastery estimate of one topic for one enrollment.
type TopicMastery struct {
	Topic   string
	Mastery float64
	Answers int
}

// RiskyEnrollment is an enrollment at risk with its mean score.
type RiskyEnrollment struct {
	EnrollmentID uuid.UUID
	UserID       uuid.UUID
	MeanScore    float64
	Attempts     int
}

// ParseID parses an id given by a client; a malformed one is INVALID_ARGUMENT on field.
func ParseID(field, s string) (uuid.UUID, error) {
	id, err := uuid.Parse(s)
	if err != nil {
		return uuid.Nil, errcode.Invalid(field, "%s must be a UUID", field)
	}
	return id, nil
}

// CourseAnalytics returns the statistics of course's attempts; zero values when BI has seen
// none.
func (s *Service) CourseAnalytics(ctx context.Context, course uuid.UUID) (*CourseAnalytics, error) {
	r, err := s.q.CourseStats(ctx, course)
	if err != nil {
		return nil, fmt.Errorf("course stats: %w", err)
	}
	return &CourseAnalytics{
		CourseID: course, Attempts: int(r.Attempts), MeanScore: r.MeanScore,
		MedianScore: r.MedianScore, PassRate: r.PassRate,
	}, nil
}

// Mastery returns the mastery of every topic enrollment answered, by topic.
func (s *Service) Mastery(ctx context.Context, enrollment uuid.UUID) ([]TopicMastery, error) {
	rows, err := s.q.Mastery(ctx, postgres.MasteryParams{
		EnrollmentID: enrollment, Alpha: Alpha,
		Prior: Prior,
	})
	if err != nil {
		return nil, fmt.Errorf("mastery of %s: %w", enrollment, err)
	}
	out := make([]TopicMastery, len(rows))
	for i, r := range rows {
		out[i] = TopicMastery{Topic: r.Topic, Mastery: r.Mastery, Answers: int(r.Answers)}
	}
	return out, nil
}

// WeakTopics returns enrollment's topics with mastery below WeakBelow, weakest first (ties
// by topic name). Topics never answered are not known to BI and so never weak.
func (s *Service) WeakTopics(ctx context.Context, enrollment uuid.UUID) ([]string, error) {
	all, err := s.Mastery(ctx, enrollment)
	if err != nil {
		return nil, err
	}
	return Weak(all), nil
}

// Weak returns the topics of ms with mastery below WeakBelow, weakest first, ties by name.
func Weak(ms []TopicMastery) []string {
	var weak []TopicMastery
	for _, m := range ms {
		if m.Mastery < WeakBelow {
			weak = append(weak, m)
		}
	}
	slices.SortFunc(weak, func(a, b TopicMastery) int {
		return cmp.Or(cmp.Compare(a.Mastery, b.Mastery), cmp.Compare(a.Topic, b.Topic))
	})
	out := make([]string, len(weak))
	for i, m := range weak {
		out[i] = m.Topic
	}
	return out
}

// AtRisk returns up to MaxAtRisk enrollments of course whose mean score is below RiskBelow,
// weakest first.
func (s *Service) AtRisk(ctx context.Context, course uuid.UUID) ([]RiskyEnrollment, error) {
	rows, err := s.q.AtRisk(ctx, postgres.AtRiskParams{
		CourseID: course, Threshold: RiskBelow,
		MaxRows: MaxAtRisk,
	})
	if err != nil {
		return nil, fmt.Errorf("students at risk in %s: %w", course, err)
	}
	out := make([]RiskyEnrollment, len(rows))
	for i, r := range rows {
		out[i] = RiskyEnrollment{
			EnrollmentID: r.EnrollmentID, UserID: r.UserID, MeanScore: r.MeanScore,
			Attempts: int(r.Attempts),
		}
	}
	return out, nil
}

// IsEntity marks Course as a federation entity (gqlgen's fedruntime.Entity).
func (Course) IsEntity() {}

// IsEntity marks Enrollment as a federation entity (gqlgen's fedruntime.Entity).
func (Enrollment) IsEntity() {}
