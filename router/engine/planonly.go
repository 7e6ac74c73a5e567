package engine

import "context"

// Plan does what Execute does before it sends anything to a subgraph: it parses and validates
// req's query, selects the operation, coerces the variables, applies middleware rejections
// and builds the query plan. It returns the errors Execute would answer without data (codes
// such as GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED, BAD_USER_INPUT or
// QUERY_PLANNING_FAILED), or nil when req can be executed. It reads and fills the engine's
// document and plan cache as Execute does, so that with Options.PlanCacheSize negative every
// call does the whole work; that makes it the way to time planning on its own.
func (e *Engine) Plan(ctx context.Context, req *Request) []*GraphQLError {
	op, gerr := e.prepare(ctx, req)
	if gerr != nil {
		return gerr
	}
	if _, err := e.planFor(op); err != nil {
		return []*GraphQLError{newError(CodePlanningFailed, "%v", err)}
	}
	return nil
}
