/**
 * `@sockwave/io-adapter/testing`: tools for adapter authors. A conformance kit (scenarios that
 * prove an adapter right on one node and across several, independent of any test runner) and an
 * in-process cluster bus (an example transport, and a way to run several servers in one process).
 */
export {
  conformanceScenarios,
  runConformance,
  scenariosFor,
  type ConformanceResult,
  type ConformanceScenario,
  type ScenarioContext,
} from "./scenarios";
export type {
  ClusterOptions,
  ConformanceCluster,
  ConformanceHarness,
  ConformanceNode,
  ConnectOptions,
  KitBroadcastAck,
  KitClient,
  KitListener,
  KitNamespace,
  KitOperator,
  KitRemoteSocket,
  KitServerSocket,
} from "./harness";
export { ConformanceError, assert, assertEqual } from "./assert";
export { createHarness, type HarnessParts, type StartedServer } from "./create-harness";
export { InProcessBus, type AdapterConstructor, type BusEndpoint, type InProcessAdapterOptions } from "./in-process-cluster";
