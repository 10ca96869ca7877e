// Command bench runs svmbench: data checks, SVM training and prediction,
// grid searches, the CNN baseline, experiments and reports. Run it without
// arguments for the quick profile of the whole benchmark; `bench help`
// lists the subcommands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
)

// A Command is one subcommand. Each lives in its own file and adds itself
// to the table with register in an init function.
type Command struct {
	Name      string // "data"
	UsageLine string // "data [-data SPEC] [-download]"
	Short     string // one line for the command list
	Long      string // paragraphs for `bench help NAME`
	// Flags defines the command's flags on fs and returns the function that
	// runs it once the flags are parsed; args are the arguments left.
	Flags func(fs *flag.FlagSet) func(ctx context.Context, args []string) error
}

var commands = map[string]*Command{}

func register(c *Command) {
	if _, dup := commands[c.Name]; dup {
		panic("bench: command registered twice: " + c.Name)
	}
	commands[c.Name] = c
}

// usageError is returned for bad flags or arguments: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// defaultCommand runs when bench is given no arguments.
const defaultCommand = "all"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stderr))
}

// run executes one command line and returns the exit status.
func run(ctx context.Context, args []string, stderr io.Writer) int {
	// No command, or flags first (bench -profile full): the default command.
	if len(args) == 0 || (strings.HasPrefix(args[0], "-") && !isHelp(args[0])) {
		if _, ok := commands[defaultCommand]; ok {
			args = append([]string{defaultCommand}, args...)
		} else {
			printCommands(stderr)
			return 2
		}
	}
	name := args[0]
	if name == "help" || isHelp(name) {
		if len(args) > 1 {
			if c, ok := commands[args[1]]; ok {
				printUsage(stderr, c, true)
				return 0
			}
			fmt.Fprintf(stderr, "bench help %s: unknown command\n", args[1])
			return 2
		}
		printCommands(stderr)
		return 0
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "bench: unknown command %q\nRun 'bench help' for the list.\n", name)
		return 2
	}
	fs := flag.NewFlagSet(c.Name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	runFn := c.Flags(fs)
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(stderr, c, true)
			return 0
		}
		fmt.Fprintf(stderr, "bench %s: %v\n", c.Name, err)
		printUsage(stderr, c, false)
		return 2
	}
	err := runFn(ctx, fs.Args())
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "bench %s: %s\n", c.Name, ue.msg)
		printUsage(stderr, c, false)
		return 2
	case errors.Is(err, context.Canceled):
		fmt.Fprintf(stderr, "bench %s: interrupted; finished work is kept, run again to resume\n", c.Name)
		return 130
	default:
		fmt.Fprintf(stderr, "bench %s: %v\n", c.Name, err)
		return 1
	}
}

func printCommands(w io.Writer) {
	fmt.Fprintln(w, "Usage: bench [command] [flags]")
	fmt.Fprintln(w, "\nWithout a command, bench runs the quick profile of the whole benchmark.\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n", n, commands[n].Short)
	}
	fmt.Fprintln(w, "\nRun 'bench help COMMAND' for a command's flags.")
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
