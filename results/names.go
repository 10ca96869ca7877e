package results

import "strings"

// fileTag is the KERNEL-FEATURES part of the grid's file names.
func fileTag(kernel, features string) string {
	clean := func(s string) string {
		return strings.Map(func(r rune) rune {
			switch {
			case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '.':
				return r
			}
			return '_'
		}, s)
	}
	return clean(kernel) + "-" + clean(features)
}

// GridFile, SpecFile and BestFile name the files of the grid
// of kernel on features in a results folder (base names).
func GridFile(kernel, features string) string {
	return "grid-" + fileTag(kernel, features) + ".jsonl"
}

func SpecFile(kernel, features string) string {
	return "grid-" + fileTag(kernel, features) + ".spec.json"
}

func BestFile(kernel, features string) string {
	return "best-" + fileTag(kernel, features) + ".json"
}

// ModelFile is the best cell's retrained model, svm-KERNEL-FEATURES.model
// (LIBSVM's format) with svm's MODEL.json beside it. It does not start with
// "best-", so that readers of best-*.json never take the model's JSON for
// a Best.
func ModelFile(kernel, features string) string {
	return "svm-" + fileTag(kernel, features) + ".model"
}

// ResultsFile and ScalingFile are the base names of bench.Run's and
// bench.RunScaling's results.
const (
	ResultsFile = "results.json"
	ScalingFile = "scaling.json"
)

// CNNFile is DIR/cnn-VARIANT.json, a CNN training run (CNNRun).
func CNNFile(variant string) string { return CNNModel(variant) + ".json" }

// SVMModel is the model name of an SVM with the named kernel in
// ModelResult.Model and ScalingPoint.Model: "svm-rbf".
func SVMModel(kernel string) string { return "svm-" + kernel }

// CNNModel is the model name of a CNN variant: "cnn-fixed".
func CNNModel(variant string) string { return "cnn-" + variant }
