package lms_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"ergo/subgraphs/lms"
)

// bank returns n questions per (topic, difficulty) pair, with stable ids.
func bank(topics []string, n int) []*lms.Question {
	var out []*lms.Question
	for _, t := range topics {
		for d := 1; d <= 5; d++ {
			for i := 0; i < n; i++ {
				id := uuid.NewSHA1(uuid.NameSpaceOID, []byte(fmt.Sprintf("%s/%d/%d", t, d, i)))
				out = append(out, &lms.Question{
					ID: id, Topics: []string{t}, Difficulty: d,
					Options: []string{"a", "b"},
				})
			}
		}
	}
	return out
}

func difficulties(qs []*lms.Question) []int {
	out := make([]int, len(qs))
	for i, q := range qs {
		out[i] = q.Difficulty
	}
	return out
}

func TestPickQuestions(t *testing.T) {
	seed := uuid.MustParse("11111111-1111-4111-8111-111111111111")
	all := bank([]string{"graphs", "recursion", "sorting"}, 2)
	tests := []struct {
		name       string
		candidates []*lms.Question
		weak       []string
		size       int
		wantLevels []int
	}{
		{"balanced round robin", all, []string{"recursion"}, 7, []int{3, 2, 4, 1, 5, 3, 2}},
		{"fewer than asked", bank([]string{"graphs"}, 1), []string{"graphs"}, 10, []int{3, 2, 4, 1, 5}},
		{"no question on weak topics", all, []string{"trees"}, 5, []int{}},
		{"missing levels skipped", all[:4], []string{"graphs"}, 3, []int{2, 1, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := lms.PickQuestions(tt.candidates, tt.weak, seed, tt.size)
			if diff := cmp.Diff(tt.wantLevels, difficulties(got)); diff != "" {
				t.Errorf("difficulties (-want +got):\n%s", diff)
			}
			for _, q := range got {
				if q.Topics[0] != tt.weak[0] {
					t.Errorf("picked question on %v, want only %s", q.Topics, tt.weak[0])
				}
			}
		})
	}
}

// picks lists the picked questions as topic/difficulty.
func picks(qs []*lms.Question) []string {
	out := make([]string, len(qs))
	for i, q := range qs {
		out[i] = fmt.Sprintf("%s/%d", q.Topics[0], q.Difficulty)
	}
	return out
}

func TestPickQuestionsSpreadsOverTopics(t *testing.T) {
	seed := uuid.MustParse("22222222-2222-4222-8222-222222222222")
	three := []string{"graphs", "limits", "circuits"}
	tests := []struct {
		name       string
		candidates []*lms.Question
		weak       []string
		size       int
		want       []string
	}{
		{
			// A bank much larger on the weakest topic must not crowd out the others.
			"weakest topic has most questions",
			append(bank([]string{"graphs"}, 6), bank([]string{"limits", "circuits"}, 1)...),
			three, 5,
			[]string{"graphs/3", "limits/2", "circuits/4", "graphs/1", "limits/5"},
		},
		{
			"every topic meets every difficulty", bank(three, 2), three, 15,
			[]string{
				"graphs/3", "limits/2", "circuits/4", "graphs/1", "limits/5",
				"circuits/3", "graphs/2", "limits/4", "circuits/1", "graphs/5",
				"limits/3", "circuits/2", "graphs/4", "limits/1", "circuits/5",
			},
		},
		{
			"fewer questions than topics asked for", bank(three, 1), three, 2,
			[]string{"graphs/3", "limits/2"},
		},
		{
			"exhausted topic drops out", append(bank([]string{"graphs"}, 2), bank([]string{"limits"}, 1)[:1]...),
			[]string{"limits", "graphs"},
			4,
			[]string{"limits/1", "graphs/3", "graphs/2", "graphs/4"},
		},
		{
			"topic without questions skipped", bank([]string{"graphs"}, 1),
			[]string{"trees", "graphs"},
			2,
			[]string{"graphs/3", "graphs/2"},
		},
		{
			// Five topics: each still gets another difficulty on its second turn.
			"as many topics as difficulties", bank([]string{"a", "b", "c", "d", "e"}, 2),
			[]string{"a", "b", "c", "d", "e"},
			10,
			[]string{"a/3", "b/2", "c/4", "d/1", "e/5", "a/2", "b/3", "c/1", "d/4", "e/3"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := lms.PickQuestions(tt.candidates, tt.weak, seed, tt.size)
			if diff := cmp.Diff(tt.want, picks(got)); diff != "" {
				t.Errorf("picked (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPickQuestionsCountsWeakestTopic(t *testing.T) {
	both := &lms.Question{ID: uuid.New(), Topics: []string{"graphs", "limits"}, Difficulty: 3}
	only := &lms.Question{ID: uuid.New(), Topics: []string{"graphs"}, Difficulty: 3}
	// both counts for limits (the weakest), so graphs still has its own question.
	got := lms.PickQuestions([]*lms.Question{both, only}, []string{"limits", "graphs"}, uuid.Nil, 2)
	if diff := cmp.Diff([]*lms.Question{both, only}, got); diff != "" {
		t.Errorf("picked (-want +got):\n%s", diff)
	}
}

func TestPickQuestionsIsStable(t *testing.T) {
	seed := uuid.MustParse("22222222-2222-4222-8222-222222222222")
	all := bank([]string{"graphs", "recursion"}, 3)
	weak := []string{"recursion", "graphs"}

	first := lms.PickQuestions(all, weak, seed, 5)
	// Input order must not matter.
	reversed := make([]*lms.Question, len(all))
	for i, q := range all {
		reversed[len(all)-1-i] = q
	}
	again := lms.PickQuestions(reversed, weak, seed, 5)
	if diff := cmp.Diff(first, again); diff != "" {
		t.Errorf("same input in another order gave another quiz (-first +again):\n%s", diff)
	}
	// Another learner gets another selection among equals.
	other := lms.PickQuestions(all, weak, uuid.MustParse("33333333-3333-4333-8333-333333333333"), 5)
	if cmp.Equal(first, other) {
		t.Errorf("two learners got the very same questions; the seed has no effect")
	}
}

func TestGrade(t *testing.T) {
	q1 := &lms.Question{ID: uuid.New(), Options: []string{"a", "b", "c"}, CorrectOption: 2}
	q2 := &lms.Question{ID: uuid.New(), Options: []string{"a", "b"}, CorrectOption: 0}
	quiz := []*lms.Question{q1, q2}
	tests := []struct {
		name    string
		answers []lms.AnswerInput
		want    []bool
		wantErr string
	}{
		{"all right", []lms.AnswerInput{{q1.ID, 2}, {q2.ID, 0}}, []bool{true, true}, ""},
		{"one unanswered", []lms.AnswerInput{{q2.ID, 0}}, []bool{false, true}, ""},
		{"wrong", []lms.AnswerInput{{q1.ID, 0}}, []bool{false, false}, ""},
		{"foreign question", []lms.AnswerInput{{uuid.New(), 0}}, nil, "answers[0]"},
		{"answered twice", []lms.AnswerInput{{q1.ID, 1}, {q1.ID, 2}}, nil, "answers[1]"},
		{"option out of range", []lms.AnswerInput{{q2.ID, 2}}, nil, "answers[0]"},
		{"negative option", []lms.AnswerInput{{q2.ID, -1}}, nil, "answers[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := lms.Grade(quiz, tt.answers)
			if tt.wantErr != "" {
				if field := fieldOf(err); field != tt.wantErr {
					t.Fatalf("err = %v (field %q), want INVALID_ARGUMENT on %s", err, field, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			correct := make([]bool, len(got))
			for i, g := range got {
				correct[i] = g.Correct
			}
			if diff := cmp.Diff(tt.want, correct); diff != "" {
				t.Errorf("correct (-want +got):\n%s", diff)
			}
		})
	}
}
