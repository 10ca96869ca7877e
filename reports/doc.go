// Package reports turns svmbench's results files into tables and figures:
// report.md, a self-contained report.html, every figure as PNG and SVG and
// every table as CSV.
//
// Load finds the results files under a folder (results.json,
// grid-KERNEL-FEATURES.jsonl, best-KERNEL-FEATURES.json, scaling.json,
// cnn-VARIANT.json, in the formats of package bench) and Write renders them.
// It is the only svmbench package that imports gonum/plot and tablewriter;
// bench never imports reports.
//
// # What is drawn
//
// Accuracies are stored as fractions and shown as percentages. Times are
// wall-clock seconds as measured by the run that wrote the file; memory is
// the Go heap's peak while a model trained (runtime/metrics), not the
// process's resident set, which never shrinks between models.
//
// The CV heat map of a sigmoid grid shows, per C, the cross-validated
// accuracy over α × c; beside it the PSD map shows λ_min, the smallest
// eigenvalue of the sigmoid Gram matrix K_ij = tanh(α⟨x_i,x_j⟩ + c) on a
// seeded sample of the training data (the min_eigen field). λ_min < 0 means
// the kernel is not positive semi-definite there, so the SVM's dual is not
// convex and SMO finds a stationary point only.
//
// The scaling figure fits log t = a + b·log n by least squares over the
// measured points of each model; b, the empirical exponent (about 2 for a
// kernel SVM's training), is printed in the legend.
//
// # Where things are
//
// One figure a file, as gonum/plot keeps one plotter a file: accuracy.go,
// traintime.go, gridsigmoid.go, gridrbf.go, gridlinear.go (GridFigure in
// grid.go picks one), psd.go, scaling.go, cnnepochs.go, confusion.go;
// figures.go lists them in report order. The pieces they share are
// bars.go (grouped bars), heatmap.go (heat-map panels and colour maps),
// ticks.go and figure.go (the Figure type, fonts, colours). Tables are in
// tables.go (a successive-halving grid's rungs and survivors in
// halving.go: only its last rung competes for the best cell; the grid
// figure marks the settings dropped earlier "rN"), the report's layout in write.go, where report.html is an
// html/template (htmlReport) that escapes every string from the results.
package reports
