package subgraph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"ergo/platform/errcode"
	"ergo/platform/logging"
)

// requestEnded is what a client whose request ended early would read, were it still listening.
const requestEnded = "the request ended before the module answered it"

// unstorableText answers text input that PostgreSQL cannot store.
const unstorableText = "text input contains a character that cannot be stored, such as U+0000: remove it"

// maxBody caps a GraphQL request from the router; entity batches stay far below it.
const maxBody = 4 << 20

// GraphQL returns gqlgen's handler for es with ERGO's error presentation: an *errcode.Error
// reaches the client with its code in extensions.code (and the input field in
// extensions.field); a failure of a request that already ended becomes UNAVAILABLE and is
// logged at debug level only; anything else, and any panic, becomes INTERNAL with an error ID
// that is also in the one log line written for it.
func GraphQL(es graphql.ExecutableSchema, log *slog.Logger) http.Handler {
	srv := handler.New(es)
	srv.AddTransport(transport.POST{})
	srv.Use(extension.Introspection{})
	srv.SetErrorPresenter(presenter(log))
	srv.SetRecoverFunc(func(ctx context.Context, v any) error {
		return fmt.Errorf("panic: %v", v)
	})
	return http.MaxBytesHandler(srv, maxBody)
}

func presenter(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)

		var coded *errcode.Error
		if errors.As(err, &coded) && coded.Code != errcode.Internal {
			gqlErr.Message = coded.Message
			gqlErr.Extensions = map[string]any{"code": string(coded.Code)}
			if coded.Field != "" {
				gqlErr.Extensions["field"] = coded.Field
			}
			return gqlErr
		}

		// Errors gqlgen raises itself (validation, unknown fields) already carry a code.
		if _, ok := gqlErr.Extensions["code"]; ok && !errors.As(err, &coded) {
			return gqlErr
		}

		// PostgreSQL stores no U+0000 in text (SQLSTATE 22021) nor characters its encoding
		// lacks (22P05): the input is at fault, not the module.
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && (pgErr.Code == "22021" || pgErr.Code == "22P05") {
			gqlErr.Message = unstorableText
			gqlErr.Extensions = map[string]any{"code": string(errcode.InvalidArgument)}
			return gqlErr
		}

		// A request that ended first (the client went away, the router's deadline passed)
		// fails every field still loading; that is the caller's doing, not a fault here.
		if ctx.Err() != nil || errors.Is(err, context.Canceled) {
			log.Debug("request ended before resolver", "path", gqlErr.Path.String(),
				"request_id", logging.RequestID(ctx), "err", err)
			gqlErr.Message = requestEnded
			gqlErr.Extensions = map[string]any{"code": string(errcode.Unavailable)}
			return gqlErr
		}

		id := logging.NewID()
		log.Error("resolver failed", "error_id", id, "path", gqlErr.Path.String(),
			"request_id", logging.RequestID(ctx), "err", err)
		gqlErr.Message = "internal error (id " + id + ")"
		gqlErr.Extensions = map[string]any{"code": string(errcode.Internal), "errorId": id}
		return gqlErr
	}
}
