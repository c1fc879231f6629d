// Our engine client against our engine server: the same scenarios as with the official engine.io 6.6.
import { attach } from "@sockwave/engine-server";
import { describeClientScenarios, type EngineServer } from "./scenarios";

describeClientScenarios("@sockwave/engine-server", (http, opts) => attach(http, opts) as unknown as EngineServer);
