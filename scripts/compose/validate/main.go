// compose-validate loads a Compose file the way `docker compose config` does, without a Docker
// engine: github.com/compose-spec/compose-go/v2 is the loader that Docker Compose v2 itself uses
// (the Compose Specification JSON schema, interpolation of ${VAR:-default}, extends, profiles,
// normalisation and the consistency checks: unknown services, networks and volumes in
// depends_on, links, service volumes ...). It prints the resolved project as JSON, as
// `docker compose config --format json` would, for scripts/check-compose.sh to inspect.
//
//	compose-validate [-f docker-compose.yml]... [--profile demo]... [--project-directory dir]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
)

type list []string

func (l *list) String() string     { return strings.Join(*l, ",") }
func (l *list) Set(v string) error { *l = append(*l, v); return nil }

func main() {
	var files, profiles list
	flag.Var(&files, "f", "Compose file (repeatable; default docker-compose.yml)")
	flag.Var(&profiles, "profile", "profile to enable (repeatable)")
	dir := flag.String("project-directory", ".", "project directory: relative paths, .env")
	flag.Parse()
	if len(files) == 0 {
		files = list{"docker-compose.yml"}
	}

	opts, err := cli.NewProjectOptions(files,
		cli.WithWorkingDirectory(*dir),
		cli.WithOsEnv,
		cli.WithDotEnv,
		cli.WithProfiles(profiles),
		cli.WithConsistency(true),
		cli.WithResolvedPaths(true),
	)
	if err != nil {
		fail(err)
	}
	project, err := opts.LoadProject(context.Background())
	if err != nil {
		fail(err)
	}
	out, err := project.MarshalJSON()
	if err != nil {
		fail(err)
	}
	fmt.Println(string(out))
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "compose-validate: %v\n", err)
	os.Exit(1)
}
