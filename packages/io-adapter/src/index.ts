export { Adapter, type AdapterEvents, type FetchedSocket } from "./in-memory-adapter";
export { SessionAwareAdapter } from "./session-aware-adapter";
export {
  ClusterAdapter,
  DEFAULT_REQUEST_TIMEOUT,
  type ExpectedResponders,
  type ServerSideEmitAck,
} from "./cluster-adapter";
export { ClusterAdapterWithHeartbeat, type ClusterAdapterOptions } from "./cluster-adapter-with-heartbeat";
export {
  MessageType,
  type ClusterMessage,
  type ClusterResponse,
  type DistributiveOmit,
  type EncodedBroadcastOptions,
  type Offset,
  type ServerId,
  type UnstampedMessage,
  type UnstampedResponse,
} from "./cluster-messages";
export type {
  AckCallback,
  AdapterClient,
  AdapterNamespace,
  AdapterPacket,
  AdapterServer,
  AdapterSocket,
  BroadcastFlags,
  BroadcastOptions,
  BroadcastPacket,
  ConnectionStateRecoveryOptions,
  EncodedPacket,
  PacketEncoder,
  PrivateSessionId,
  RemoteSocketDetails,
  Room,
  Session,
  SessionToPersist,
  SocketId,
  WriteOptions,
} from "./types";
