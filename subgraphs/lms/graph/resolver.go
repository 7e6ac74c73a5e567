// Package graph is the lms module's GraphQL adapter: gqlgen resolvers over the domain in the
// lms package, Module for the platform's subgraph runner, and Run, which also starts the
// outbox dispatcher.
package graph

import (
	"fmt"

	"github.com/google/uuid"

	"ergo/platform/errcode"
	"ergo/subgraphs/lms"
	"ergo/subgraphs/lms/graph/model"
)

// Resolver is the root resolver; it only delegates to the domain service.
type Resolver struct {
	LMS *lms.Service
}

// weakTopics reads the weakTopics field the router fetched from bi for @requires.
func weakTopics(requires map[string]any) ([]string, error) {
	raw, ok := requires["weakTopics"].([]any)
	if !ok {
		return nil, errcode.New(errcode.FailedPrecondition,
			"recommendedQuiz needs Enrollment.weakTopics from the analytics module")
	}
	out := make([]string, 0, len(raw))
	for _, v := range raw {
		s, ok := v.(string)
		if !ok {
			return nil, errcode.Invalid("weakTopics", "weakTopics must be strings")
		}
		out = append(out, s)
	}
	return out, nil
}

// parseIDs parses a list of ids; the first malformed one is INVALID_ARGUMENT on field[i].
// courseAndUser parses the courseId and userId arguments of a course membership mutation.
func courseAndUser(courseID, userID string) (course, user uuid.UUID, err error) {
	if course, err = lms.ParseID("courseId", courseID); err != nil {
		return uuid.Nil, uuid.Nil, err
	}
	if user, err = lms.ParseID("userId", userID); err != nil {
		return uuid.Nil, uuid.Nil, err
	}
	return course, user, nil
}

func parseIDs(field string, in []string) ([]uuid.UUID, error) {
	out := make([]uuid.UUID, len(in))
	for i, s := range in {
		id, err := lms.ParseID(fmt.Sprintf("%s[%d]", field, i), s)
		if err != nil {
			return nil, err
		}
		out[i] = id
	}
	return out, nil
}

// answerInputs converts submitted answers, checking their question ids.
func answerInputs(in []*model.AnswerInput) ([]lms.AnswerInput, error) {
	out := make([]lms.AnswerInput, len(in))
	for i, a := range in {
		id, err := lms.ParseID(fmt.Sprintf("answers[%d].questionId", i), a.QuestionID)
		if err != nil {
			return nil, err
		}
		out[i] = lms.AnswerInput{QuestionID: id, Option: a.Option}
	}
	return out, nil
}
