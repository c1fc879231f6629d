// Our engine client against the official engine.io 6.6 server: the shared scenarios of packages/engine-client.
import { attach } from "engine.io";
import { describeClientScenarios, type EngineServer } from "../../engine-client/test/scenarios";

describeClientScenarios("engine.io 6.6", (http, opts) => attach(http, opts) as unknown as EngineServer);
