package local

// PolicyQuery exposes policyQuery to the package's external tests.
var PolicyQuery = policyQuery
