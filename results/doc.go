// Package results is the contract of svmbench's results files in code:
// their Go types, their file names, and their readers and writers. The
// documentation of every field, with units, is FORMATS.md at the module
// root; this package is what bench writes and reports reads, so that the
// report depends on the files' format and not on the code that runs the
// experiments (reports imports results, never bench, svm or cnn).
//
// # Files
//
//	grid-KERNEL-FEATURES.jsonl      GridCell, one a line     GridFile, ReadJournal, ReadCells, OpenJournal, WriteCells
//	grid-KERNEL-FEATURES.spec.json  GridSpec                 SpecFile
//	best-KERNEL-FEATURES.json       Best                     BestFile
//	svm-KERNEL-FEATURES.model       LIBSVM model (package svm) ModelFile
//	results.json                    Results                  ResultsFile
//	scaling.json                    Scaling                  ScalingFile
//	cnn-VARIANT.json                CNNRun                   CNNFile
//	trials.json                     Trials                   TrialsFile (version TrialsVersion)
//	cost.json                       Cost                     CostFile
//	search-KERNEL-FEATURES.json     SearchComparison         SearchFile
//
// Model names in ModelResult.Model are SVMModel(kernel) ("svm-rbf") and
// CNNModel(variant) ("cnn-fixed"). KERNEL is a name of the kernel registry
// (kernels.Lookup); in file names every character other than letters,
// digits, '_' and '.' is written '_'.
//
// # Conventions and versions
//
// Accuracies are fractions in [0, 1], times seconds, memory bytes. Kernel
// parameters go by the kernel's own names (alpha, gamma, coef0, degree) and
// C; a parameter the kernel does not use is 0. Only trials.json carries a
// format version (TrialsVersion, which reports checks); in the others fields
// may be added, never renamed or given another meaning, and readers ignore
// fields they do not know (encoding/json's default). Every JSON file has a
// Manifest saying which svmbench version, machine, data and command line
// made it (Manifest.Version).
//
// # Reading and writing
//
// JSON files are written whole through a temporary file and a rename
// (WriteJSON): a reader never sees half a file. ReadJSON rejects a file
// that does not decode or has data after its value, with a *FileError that
// names the line and field. A grid journal is appended one line per cell
// and synced after each (JournalWriter); ReadJournal leaves out a torn last
// line (unterminated or not JSON: an interrupted write), reporting where it
// starts so that a resuming writer can cut it off, and fails on any other
// bad line. CheckCell, CheckModel, CheckFraction and CheckConfusion check
// what the format promises beyond JSON types (fractions in [0, 1], one
// accuracy per fold, square confusion matrices).
//
// # Ranking cells
//
// Better orders grid cells: higher cv_accuracy; on a tie smaller C, then
// smaller α, then smaller γ, then c closer to 0, then earlier in the cell
// order. BestCell applies it; bench uses it to pick the cell it retrains
// and reports to mark it.
package results
