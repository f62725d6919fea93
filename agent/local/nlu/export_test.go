package nlu

// Catalogue exposes the test copy of the demo catalogue to the external
// test that checks it against tools/demo.
var Catalogue = catalogue
