// Package stats holds the few statistics svmbench's reports rest on:
// confidence intervals for accuracies and means, and paired tests between
// two classifiers scored on the same test images, with a correction for
// testing many pairs at once. It sits at the bottom of the package graph
// (it imports only gonum's distributions), so bench and reports can both
// use it.
//
// # Intervals
//
// An accuracy is k correct answers out of n test images, a binomial
// proportion p̂ = k/n. Wilson's score interval inverts the normal test of
// p: with z the 1 − (1−level)/2 normal quantile,
//
//	centre = (p̂ + z²/2n) / (1 + z²/n)
//	half   = z/(1 + z²/n) · √(p̂(1−p̂)/n + z²/4n²).
//
// Clopper–Pearson's "exact" interval inverts the binomial test:
// [B(a; k, n−k+1), B(1−a; k+1, n−k)] with a = (1−level)/2 and B(q; α, β)
// the Beta quantile (0 when k = 0, 1 when k = n). It is conservative: its
// coverage is at least level.
//
// A bootstrap interval resamples the test images with replacement B times
// and takes the a and 1−a quantiles of the resampled accuracies
// (the percentile method).
//
// Across R repeats of an experiment (other subsets, fold splits,
// initialisations) the mean x̄ of the R accuracies has the Student-t
// interval x̄ ± t(1−a; R−1)·s/√R, s the sample standard deviation.
//
// # Paired tests
//
// Two classifiers scored on the same n images disagree on b images where
// only the first is right and c where only the second is. Under the null
// hypothesis of equal accuracy each disagreement is a fair coin, so
// McNemar's exact test gives the two-sided p-value
//
//	p = min(1, 2 · P(X ≤ min(b, c))),  X ~ Binomial(b + c, 1/2).
//
// The paired bootstrap resamples images (keeping each image's pair of
// answers together) and reports the percentile interval of the accuracy
// difference and the two-sided p-value 2·min(P*(d ≤ 0), P*(d ≥ 0)), with
// the +1 correction (1 + count)/(B + 1) so it is never 0.
//
// When the classifiers were trained R times (repeats on other training
// subsets, all scored on the same test images), each image i has a score
// sᵢ, the share of repeats that got it right, and the two classifiers'
// accuracy difference averaged over repeats is the mean of
// dᵢ = sᵢ(A) − sᵢ(B). PairedT is Student's paired t test of that mean
// over the images (scipy's ttest_rel): the images are independent draws
// and each carries all its repeats' answers, so the correlation of one
// image's answers across repeats is inside dᵢ, not assumed away. Like
// McNemar's test on one run, it is conditional on the trained models: it
// asks whether these models differ on the population of test images, not
// over all training draws. Two alternatives are not valid here: pooling
// the discordant counts of all repeats into one McNemar test, or
// combining per-repeat McNemar p-values (Fisher, Stouffer), both treat
// the repeats as independent samples although they share the test images,
// and so overstate the evidence. (A paired bootstrap of the mean dᵢ is
// valid too, but its p-value cannot go below 2/(B+1), which Holm's
// correction over tens of pairs turns into "not significant" however
// large the difference.)
//
// # Many pairs
//
// Holm's step-down method adjusts m p-values so that rejecting every
// adjusted p below 0.05 keeps the family-wise error rate at 5%: sort
// p₍₁₎ ≤ … ≤ p₍ₘ₎, set p̃₍ᵢ₎ = max_{j≤i} min(1, (m − j + 1)·p₍ⱼ₎), and
// return them in the input order (R's p.adjust(p, "holm")).
//
// Misuse (a level outside (0, 1), k > n, vectors of different length)
// panics, as gonum does; the inputs come from the program, not the user.
package stats
