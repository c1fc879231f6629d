import { expectTypeOf, test } from "vitest";
import { Adapter, ClusterAdapterWithHeartbeat, type AdapterNamespace, type ClusterMessage, type ClusterResponse } from "@sockwave/io-adapter";

test("subclasses may emit events of their own", () => {
  class ErrorReportingAdapter extends Adapter {
    fail(err: Error): void {
      this.emit("error", err);
    }
  }
  const adapter = new ErrorReportingAdapter({} as AdapterNamespace);
  expectTypeOf(adapter.fail).parameter(0).toEqualTypeOf<Error>();
  expectTypeOf(adapter.rooms).toEqualTypeOf<Map<string, Set<string>>>();
});

test("a cluster adapter implements only the transport", () => {
  class Minimal extends ClusterAdapterWithHeartbeat {
    constructor(nsp: AdapterNamespace) {
      super(nsp, { heartbeatInterval: 1000 });
    }
    protected doPublish(message: ClusterMessage): Promise<string> {
      expectTypeOf(message.uid).toEqualTypeOf<string>();
      return Promise.resolve("offset");
    }
    protected doPublishResponse(requesterUid: string, response: ClusterResponse): Promise<void> {
      expectTypeOf(requesterUid).toEqualTypeOf<string>();
      expectTypeOf(response.data.requestId).toEqualTypeOf<string>();
      return Promise.resolve();
    }
  }
  expectTypeOf(Minimal).toBeConstructibleWith({} as AdapterNamespace);
  expectTypeOf<Minimal["serverCount"]>().returns.toEqualTypeOf<Promise<number>>();
});
