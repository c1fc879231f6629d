export { InProcessBus, type AdapterConstructor, type BusEndpoint, type InProcessAdapterOptions } from "./in-process-cluster";
