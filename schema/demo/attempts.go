package demo

import (
	"fmt"
	"hash/fnv"
	"iter"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"
)

// PassScore is the score from which a demo attempt passes, as in lms.
const PassScore = 0.6

// Attempt is a submitted, graded demo attempt.
type Attempt struct {
	ID uuid.UUID
	// EventID is the id of the attempt.submitted event that reports it.
	EventID      uuid.UUID
	QuizID       uuid.UUID
	CourseID     uuid.UUID
	EnrollmentID uuid.UUID
	UserID       uuid.UUID
	StartedAt    time.Time
	SubmittedAt  time.Time
	Correct      int
	Total        int
	Score        float64
	Answers      []Answer
}

// Passed reports whether the attempt reached PassScore.
func (a Attempt) Passed() bool { return a.Score >= PassScore }

// Answer is one answered question of a demo attempt.
type Answer struct {
	QuestionID uuid.UUID
	Topics     []string
	Difficulty int
	Chosen     int
	Correct    bool
}

// Attempts yields Size.Attempts attempts, a minute apart from Start, always the same ones.
// Each student has two weak topics per course, on which they answer much worse, so the
// analytics have something to find.
func (d *Data) Attempts() iter.Seq[Attempt] {
	return func(yield func(Attempt) bool) {
		rng := rand.New(rand.NewPCG(3, 4))
		for i := range d.Size.Attempts {
			if !yield(d.attempt(rng, i)) {
				return
			}
		}
	}
}

func (d *Data) attempt(rng *rand.Rand, i int) Attempt {
	e := d.Enrollments[rng.IntN(len(d.Enrollments))]
	c := d.Courses[e.Course]
	s := d.Students[e.Student]
	quiz := c.Quizzes[rng.IntN(len(c.Quizzes))]
	at := Start.Add(time.Duration(i) * time.Minute)

	a := Attempt{
		ID: ID("attempt", fmt.Sprint(i)), EventID: ID("event", fmt.Sprint(i)),
		QuizID: quiz.ID, CourseID: c.ID, EnrollmentID: e.ID, UserID: s.ID,
		StartedAt: at.Add(-10 * time.Minute), SubmittedAt: at, Total: len(quiz.Questions),
	}
	for _, qi := range quiz.Questions {
		q := c.Questions[qi]
		p := s.Ability - 0.1*float64(q.Difficulty-3)
		if weak(s.ID, c.Topics, q.Topics[0]) {
			p -= 0.4
		}
		ok := rng.Float64() < p
		chosen := q.CorrectOption
		if !ok {
			chosen = (q.CorrectOption + 1 + rng.IntN(len(q.Options)-1)) % len(q.Options)
		}
		if ok {
			a.Correct++
		}
		a.Answers = append(a.Answers, Answer{
			QuestionID: q.ID, Topics: q.Topics,
			Difficulty: q.Difficulty, Chosen: chosen, Correct: ok,
		})
	}
	a.Score = float64(a.Correct) / float64(a.Total)
	return a
}

// weak reports whether topic is one of the student's two weak topics of a course.
func weak(student uuid.UUID, topics []string, topic string) bool {
	h := fnv.New64a()
	h.Write(student[:])
	h.Write([]byte(topics[0]))
	n := h.Sum64()
	first, second := topics[n%uint64(len(topics))], topics[(n/7)%uint64(len(topics))]
	return topic == first || topic == second
}
