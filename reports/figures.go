package reports

// Figures returns every figure the inputs allow, in report order.
func Figures(in *Inputs) []*Figure {
	var fs []*Figure
	if len(in.Models) > 0 {
		fs = append(fs, AccuracyFigure(in), TrainTimeFigure(in))
	}
	for _, g := range in.Grids {
		if f := GridFigure(g); f != nil {
			fs = append(fs, f)
		}
	}
	for _, c := range in.Searches {
		if f := SearchFigure(c); f != nil {
			fs = append(fs, f)
		}
	}
	if f := LearningCurveFigure(in); f != nil {
		fs = append(fs, f)
	}
	if f := ScalingFigure(in); f != nil {
		fs = append(fs, f)
	}
	fs = append(fs, NoiseFigures(in)...)
	if f := CNNFigure(in); f != nil {
		fs = append(fs, f)
	}
	fs = append(fs, ConfusionFigures(in)...)
	return fs
}
