// Command bench runs svmbench: data checks, SVM training and prediction,
// grid searches, the CNN baseline, experiments and reports. Run it without
// arguments for the quick profile of the whole benchmark; `bench help`
// lists the subcommands.
//
// The layout is cmd/go's: main.go holds the explicit list of commands
// (commands, below) and the driver; each command lives in its own file as
// a *Command variable (cmdData in data.go, cmdTrain in train.go, ...)
// whose Flags function defines the command's flags and returns a runner.
// The driver parses the flags, calls the runner's check (flag and argument
// validation, before any work: its errors are usage errors) and then its
// run, which turns the flags into one library call and prints the result.
//
// Exit status (exitStatusHelp, printed by bench help): 0 on success, 2 on
// a usage error (a usageError: bad flags or arguments, found by check
// before any work), 130 when interrupted (ctx cancelled: finished work is
// kept), 1 for any other error (data, I/O).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/svmbench/svmbench/bench"
)

// commands lists every subcommand, in the order `bench help` prints them.
// To add one, write NAME.go with a cmdNAME variable and add it here.
var commands = []*Command{
	cmdAll,
	cmdData,
	cmdTrain,
	cmdPredict,
	cmdGrid,
	cmdMerge,
	cmdRun,
	cmdCNN,
	cmdReport,
}

// defaultCommand runs when bench is given no arguments, or flags first.
var defaultCommand = cmdAll

// A Command is one subcommand.
type Command struct {
	Name      string // "data"
	UsageLine string // "data [-data SPEC] [-download]"
	Short     string // one line for the command list
	Long      string // paragraphs for `bench help NAME`
	// Resume tells the user, after an interruption, what was kept and how
	// to continue; "" for a command that has no resume (its output is
	// written whole or not at all).
	Resume string
	// Flags defines the command's flags on fs and returns the runner that
	// holds their values; the driver parses fs and then calls its check
	// and run.
	Flags func(fs *flag.FlagSet) runner
}

// A runner is one command's parsed flags and what it does with them.
type runner interface {
	// check validates the flags and the arguments left after them, and
	// derives what run needs from them (parsed lists, sizes). It runs
	// before any work, reads and writes nothing; every error it returns
	// is a usage error (exit status 2).
	check(args []string) error
	// run does the command's work: one library call, its result printed.
	run(ctx context.Context) error
}

// usageError is returned for bad flags or arguments: exit status 2. It
// wraps the underlying error (a library's parse or validation error),
// when there is one, so callers can still inspect it.
type usageError struct {
	msg string
	err error
}

func (e *usageError) Error() string { return e.msg }
func (e *usageError) Unwrap() error { return e.err }

// noJournal wraps the error of work that keeps no journal (a comparison:
// -compare, -compare-seeding), so that an interruption does not point to
// the command's -resume.
type noJournal struct {
	what string // the flag, e.g. "-compare"
	err  error
}

func (e *noJournal) Error() string { return e.err.Error() }
func (e *noJournal) Unwrap() error { return e.err }

// usagef returns a usage error; a %w verb in format wraps its argument.
func usagef(format string, a ...any) error {
	err := fmt.Errorf(format, a...)
	return &usageError{msg: err.Error(), err: errors.Unwrap(err)}
}

func lookup(name string) *Command {
	for _, c := range commands {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stderr))
}

// run executes one command line and returns the exit status.
func run(ctx context.Context, args []string, stderr io.Writer) int {
	// No command, or flags first (bench -profile full): the default command.
	if len(args) == 0 || (strings.HasPrefix(args[0], "-") && !isHelp(args[0])) {
		args = append([]string{defaultCommand.Name}, args...)
	}
	name := args[0]
	if name == "help" || isHelp(name) {
		return help(stderr, args[1:])
	}
	c := lookup(name)
	if c == nil {
		fmt.Fprintf(stderr, "bench: unknown command %q\nRun 'bench help' for the list.\n", name)
		return 2
	}
	fs := flag.NewFlagSet(c.Name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	r := c.Flags(fs)
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(stderr, c, true)
			return 0
		}
		fmt.Fprintf(stderr, "bench %s: %v\n", c.Name, err)
		printShortUsage(stderr, c)
		return 2
	}
	err := r.check(fs.Args())
	if err == nil {
		err = r.run(ctx)
	}
	return exitStatus(stderr, c, err)
}

// exitStatus prints err, if any, and returns the exit status it means.
func exitStatus(stderr io.Writer, c *Command, err error) int {
	var ue *usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "bench %s: %s\n", c.Name, ue.msg)
		printShortUsage(stderr, c)
		return 2
	case errors.Is(err, context.Canceled):
		var nj *noJournal
		if errors.As(err, &nj) {
			fmt.Fprintf(stderr, "bench %s: interrupted; nothing was written (%s keeps no journal: run it again)\n", c.Name, nj.what)
		} else if c.Resume == "" {
			fmt.Fprintf(stderr, "bench %s: interrupted; nothing was written (%s has no resume)\n", c.Name, c.Name)
		} else {
			fmt.Fprintf(stderr, "bench %s: interrupted; %s\n", c.Name, c.Resume)
		}
		return 130
	default:
		fmt.Fprintf(stderr, "bench %s: %v\n", c.Name, err)
		return 1
	}
}

// help prints the command list, or one command's usage.
func help(w io.Writer, args []string) int {
	if len(args) == 0 {
		printCommands(w)
		return 0
	}
	c := lookup(args[0])
	if c == nil {
		fmt.Fprintf(w, "bench help %s: unknown command\n", args[0])
		return 2
	}
	printUsage(w, c, true)
	return 0
}

func printCommands(w io.Writer) {
	fmt.Fprintln(w, "Usage: bench [command] [flags]")
	fmt.Fprintln(w, "\nWithout a command, bench runs the quick profile of the whole benchmark.\n\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.Name, c.Short)
	}
	fmt.Fprintln(w, "\nRun 'bench help COMMAND' for a command's flags.")
	fmt.Fprint(w, exitStatusHelp)
}

// exitStatusHelp is the exit-status paragraph of bench help.
const exitStatusHelp = `
Exit status: 0 success; 2 usage error (a bad flag or argument, reported
before any work starts); 1 data or I/O error (bad input, a full disk, an
output folder another run holds); 130 interrupted (Ctrl-C or SIGTERM:
finished work is kept where the command can resume).
`

// printShortUsage follows a usage error: the usage line and where the
// flags are, so that the error stays the first thing on the screen and
// not above a page of flags.
func printShortUsage(w io.Writer, c *Command) {
	fmt.Fprintf(w, "Usage: bench %s\nRun 'bench help %s' for its flags.\n", c.UsageLine, c.Name)
}

func printUsage(w io.Writer, c *Command, long bool) {
	fmt.Fprintf(w, "Usage: bench %s\n", c.UsageLine)
	if long && c.Long != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(c.Long))
	}
	fs := flag.NewFlagSet(c.Name, flag.ContinueOnError)
	c.Flags(fs)
	fs.SetOutput(w)
	fmt.Fprintln(w, "\nFlags:")
	fs.PrintDefaults()
}

func isHelp(arg string) bool { return arg == "-h" || arg == "-help" || arg == "--help" }

// parseRanges parses the -alpha, -coef0, -gamma and -C flags' texts (in
// that order) into dst, leaving a range whose flag is empty as it is.
func parseRanges(text [4]string, dst [4]*bench.Range) error {
	for i, flag := range [4]string{"alpha", "coef0", "gamma", "C"} {
		if text[i] == "" {
			continue
		}
		r, err := bench.ParseRange(text[i])
		if err != nil {
			return usagef("-%s: %w", flag, err)
		}
		*dst[i] = r
	}
	return nil
}
