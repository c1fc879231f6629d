// What both entries (Node and browser) export; each entry adds its platform transports and default Socket.
export { Emitter } from "./emitter";
export type {
  DefaultEventsMap,
  EventNames,
  EventParams,
  EventsMap,
  ReservedOrUserEventNames,
  ReservedOrUserListener,
} from "./emitter";
