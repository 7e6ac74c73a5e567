package lms

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"slices"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"ergo/platform/errcode"
	"ergo/subgraphs/lms/postgres"
)

// MaxQuizSize is the largest quiz lms builds or accepts.
const MaxQuizSize = 50

// difficultyOrder is the order in which recommended quizzes draw from each difficulty: the
// middle first, then alternately easier and harder, so a short quiz is neither all easy nor
// all hard and a long one covers the whole range.
var difficultyOrder = []int{3, 2, 4, 1, 5}

// recommendedNamespace scopes the deterministic ids of recommended quizzes.
var recommendedNamespace = uuid.MustParse("6f1c1c3e-5b7a-4d0e-9a51-2b9c8f0e7d41")

// RecommendedQuiz builds, from e's course bank, a quiz of up to size questions on e's weak
// topics (e.WeakTopics, weakest first, supplied by the bi module), spread over the topics
// with balanced difficulty (see PickQuestions). With no weak topics it returns nil: there is
// nothing to practise. When fewer than size questions match, the quiz has all of them.
//
// The same enrollment, weak topics and bank give the same quiz (same id and questions); it is
// stored once so it can be attempted, and it belongs to e: only e's learner, the teachers of
// e's course and admins read it, and only e attempts it. While it has no attempt, asking again with the same
// weak topics and size returns it as stored, without a write, even when the bank changed.
//
// Only the learner, the course's teachers and admins may ask. Errors: UNAUTHENTICATED, FORBIDDEN,
// INVALID_ARGUMENT for size outside 1..MaxQuizSize, FAILED_PRECONDITION when the bank has no
// question on any weak topic.
//
// TODO(#5): the first read for given weak topics and size still writes the quiz, from a
// query and so also through GET; storing it only when startAttempt is given a recommendation
// would keep reads free of writes, but needs the recommendation's questions to travel in its
// id or in the mutation's input.
func (s *Service) RecommendedQuiz(ctx context.Context, e *Enrollment, size int) (*Quiz, error) {
	if err := s.AuthorizeEnrollment(ctx, e); err != nil {
		return nil, err
	}
	if size < 1 || size > MaxQuizSize {
		return nil, errcode.Invalid("size", "size must be from 1 to %d", MaxQuizSize)
	}
	weak := weakTopics(e.WeakTopics)
	if len(weak) == 0 {
		return nil, nil
	}
	if quiz, err := s.unattemptedQuiz(ctx, e, weak, size); quiz != nil || err != nil {
		return quiz, err
	}

	rows, err := s.q.QuestionsOnTopics(ctx, postgres.QuestionsOnTopicsParams{CourseID: e.CourseID, Topics: weak})
	if err != nil {
		return nil, dbError(ctx, "load questions on weak topics", err)
	}
	candidates := make([]*Question, len(rows))
	for i, r := range rows {
		candidates[i] = questionFrom(r)
	}
	picked := PickQuestions(candidates, weak, e.ID, size)
	if len(picked) == 0 {
		return nil, errcode.New(errcode.FailedPrecondition,
			"the course has no questions on the weak topics %s", strings.Join(weak, ", "))
	}

	quiz := recommendedQuiz(e, weak, size, picked)
	ids := make([]uuid.UUID, len(picked))
	for i, q := range picked {
		ids[i] = q.ID
	}
	if err := s.storeQuiz(ctx, quiz, ids); err != nil {
		return nil, dbError(ctx, "store recommended quiz", err)
	}
	return quiz, nil
}

// unattemptedQuiz returns the quiz recommended to e before from the same weak topics and
// size when it has no attempt yet, so that reading recommendedQuiz again writes nothing;
// nil when there is none.
func (s *Service) unattemptedQuiz(ctx context.Context, e *Enrollment, weak []string,
	size int,
) (*Quiz, error) {
	n := int32(size)
	row, err := s.q.UnattemptedRecommendedQuiz(ctx, postgres.UnattemptedRecommendedQuizParams{
		EnrollmentID: &e.ID, Topics: weak, Size: &n,
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, dbError(ctx, "load recommended quiz", err)
	}
	return quizFrom(row), nil
}

// weakTopics normalises the topics bi sent, keeping their order (weakest first).
func weakTopics(in []string) []string {
	var out []string
	for _, t := range in {
		t = strings.ToLower(strings.TrimSpace(t))
		if t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// recommendedQuiz names the quiz after every weak topic its questions practise, weakest
// first, and derives its id from the enrollment and the questions.
func recommendedQuiz(e *Enrollment, weak []string, size int, picked []*Question) *Quiz {
	key := e.ID.String()
	for _, q := range picked {
		key += "|" + q.ID.String()
	}
	return &Quiz{
		ID: uuid.NewSHA1(recommendedNamespace, []byte(key)), CourseID: e.CourseID,
		Title: "Practice: " + strings.Join(practised(weak, picked), ", "), Kind: QuizRecommended,
		EnrollmentID: e.ID, Topics: weak, Size: size,
	}
}

// practised returns the weak topics that at least one of picked is on, weakest first.
func practised(weak []string, picked []*Question) []string {
	var out []string
	for _, t := range weak {
		if slices.ContainsFunc(picked, func(q *Question) bool { return slices.Contains(q.Topics, t) }) {
			out = append(out, t)
		}
	}
	return out
}

// PickQuestions chooses up to size of candidates for a quiz on the weak topics (weakest
// first). It spreads the quiz over the topics and the difficulties:
//
//   - topics take turns, weakest first, each turn one question; a question counts for its
//     weakest topic, and a topic whose questions ran out drops out of the turns;
//   - on its turn a topic gives a question of the difficulty it has given least so far,
//     among those the quiz holds least so far, in the order 3, 2, 4, 1, 5 (the middle first,
//     then alternately easier and harder);
//   - among questions of the same topic and difficulty it follows a hash of the question and
//     the seed (the enrollment), so different students get different but stable quizzes.
//
// It is a pure function of its inputs: their order does not matter.
func PickQuestions(candidates []*Question, weak []string, seed uuid.UUID, size int) []*Question {
	pools := topicPools(candidates, weak, seed)
	total := map[int]int{}
	var picked []*Question
	for len(picked) < size {
		took := false
		for _, p := range pools {
			if len(picked) == size {
				break
			}
			if q := p.take(total); q != nil {
				picked, took = append(picked, q), true
				total[q.Difficulty]++
			}
		}
		if !took {
			break
		}
	}
	return picked
}

// topicPool holds the unpicked questions of one weak topic by difficulty, each list in the
// seed's order, and how many of each difficulty the topic gave already.
type topicPool struct {
	byLevel map[int][]*Question
	given   map[int]int
}

// topicPools sorts candidates into one pool per weak topic, weakest first; questions on no
// weak topic are left out.
func topicPools(candidates []*Question, weak []string, seed uuid.UUID) []*topicPool {
	pools := make([]*topicPool, len(weak))
	for i := range pools {
		pools[i] = &topicPool{byLevel: map[int][]*Question{}, given: map[int]int{}}
	}
	for _, q := range candidates {
		if r := topicRank(q, weak); r < len(weak) {
			pools[r].byLevel[q.Difficulty] = append(pools[r].byLevel[q.Difficulty], q)
		}
	}
	for _, p := range pools {
		for _, qs := range p.byLevel {
			slices.SortFunc(qs, func(a, b *Question) int {
				return compareUint(order(seed, a.ID), order(seed, b.ID))
			})
		}
	}
	return pools
}

// take removes and returns the pool's next question (see PickQuestions), or nil when the
// pool is empty. total counts the quiz's questions by difficulty so far.
func (p *topicPool) take(total map[int]int) *Question {
	best := -1
	for _, level := range difficultyOrder {
		if len(p.byLevel[level]) == 0 {
			continue
		}
		if best < 0 || p.given[level] < p.given[best] ||
			p.given[level] == p.given[best] && total[level] < total[best] {
			best = level
		}
	}
	if best < 0 {
		return nil
	}
	q := p.byLevel[best][0]
	p.byLevel[best] = p.byLevel[best][1:]
	p.given[best]++
	return q
}

// topicRank is the position in weak of q's weakest topic, or len(weak) when q has none.
func topicRank(q *Question, weak []string) int {
	for i, t := range weak {
		if slices.Contains(q.Topics, t) {
			return i
		}
	}
	return len(weak)
}

func order(seed, id uuid.UUID) uint64 {
	h := sha256.Sum256(append(seed[:], id[:]...))
	return binary.BigEndian.Uint64(h[:8])
}

func compareUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
