package bench

import "github.com/svmbench/svmbench/results"

// The results files' types, names and readers live in package results
// (FORMATS.md in code). These aliases keep bench's API for callers written
// before the move; new code should use package results.
type (
	Manifest     = results.Manifest
	GridCell     = results.GridCell
	Best         = results.Best
	ModelResult  = results.ModelResult
	Results      = results.Results
	ScalingPoint = results.ScalingPoint
	Scaling      = results.Scaling
	CNNEpoch     = results.CNNEpoch
	CNNRun       = results.CNNRun
	GridSpec     = results.GridSpec
	SpecRange    = results.SpecRange
	Trial        = results.Trial
	Trials       = results.Trials
	KernelCost   = results.KernelCost
	Cost         = results.Cost

	SearchTrace      = results.SearchTrace
	SearchComparison = results.SearchComparison
	SearchSummary    = results.SearchSummary
)

// Results file names and readers, as in package results.
const (
	ResultsFile = results.ResultsFile
	ScalingFile = results.ScalingFile
	TrialsFile  = results.TrialsFile
	CostFile    = results.CostFile

	TrialsVersion = results.TrialsVersion
	StudyCurve    = results.StudyCurve
	StudyLabels   = results.StudyLabels
	StudyPixels   = results.StudyPixels
)

var (
	GridFile    = results.GridFile
	SpecFile    = results.SpecFile
	BestFile    = results.BestFile
	ModelFile   = results.ModelFile
	SearchFile  = results.SearchFile
	SVMModel    = results.SVMModel
	ReadJSON    = results.ReadJSON
	WriteJSON   = results.WriteJSON
	ReadCells   = results.ReadCells
	Better      = results.Better
	BestCell    = results.BestCell
	Failures    = results.Failures
	ParamString = results.ParamString
)
