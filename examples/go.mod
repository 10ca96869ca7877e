module github.com/svmbench/svmbench/examples

go 1.26.0

require github.com/svmbench/svmbench v0.0.0

require (
	golang.org/x/sys v0.48.0 // indirect
	gonum.org/v1/gonum v0.17.0 // indirect
	gonum.org/v1/netlib v0.0.0-20190313105609-8cb42192e0e0 // indirect
)

replace github.com/svmbench/svmbench => ../
