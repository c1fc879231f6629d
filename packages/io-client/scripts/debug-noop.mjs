// Stands in for `debug` in the minified bundles: loggers that log nothing (and are removed by the minifier).
export default function createDebug() {
  return function log() {};
}
