package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"ergo/platform/postgres"
)

func init() {
	register("migrate", "apply the enabled modules' migrations", runMigrate)
}

// runMigrate applies schema/<module>/*.sql of every enabled module. Modules apply their own
// migrations at start as well; this command is for deployments that migrate first.
func runMigrate(ctx context.Context, env *Env) int {
	fs := newFlags(env, "migrate", "")
	if err := fs.Parse(env.Args); err != nil {
		return 2
	}
	cfg, mods, err := loadConfig(env, "")
	if err != nil {
		fmt.Fprintf(env.Stderr, "ergo migrate: %v\n", err)
		return 1
	}
	noteCore(env, "migrate", mods)

	dsn, stop, err := database(ctx, env, cfg)
	if err != nil {
		fmt.Fprintf(env.Stderr, "ergo migrate: %v\n", err)
		return 1
	}
	defer stop()

	for _, m := range mods.Enabled() {
		if err := migrateModule(ctx, env, dsn, m.Name); err != nil {
			fmt.Fprintf(env.Stderr, "ergo migrate: %v\n", err)
			return 1
		}
	}
	return 0
}

func migrateModule(ctx context.Context, env *Env, dsn, module string) error {
	dir := filepath.Join(env.Root, "schema", module)
	if _, err := os.Stat(dir); err != nil {
		fmt.Fprintf(env.Stdout, "%-10s no migrations\n", module)
		return nil
	}
	pool, err := postgres.Open(ctx, dsn, module)
	if err != nil {
		return err
	}
	defer pool.Close()

	n, err := postgres.Migrate(ctx, pool, module, os.DirFS(dir))
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%-10s %d migration(s) applied\n", module, n)
	return nil
}
