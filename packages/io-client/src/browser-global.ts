// Entry of the classic browser bundles: `<script src="/socket.io/socket.io.js">` defines the global `io`.
import { io } from "./index";

(globalThis as { io?: typeof io }).io = io;
