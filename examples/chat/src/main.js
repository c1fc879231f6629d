// @ts-check
// `npm start` at the repository root runs this: the chat demo on http://localhost:3000 (or $PORT).
import { createChatServer } from "./chat-server.js";

const port = Number(process.env.PORT ?? 3000);
const chat = createChatServer();

chat.listen(port).then(
  (url) => {
    console.log(`Sockwave chat is running at ${url}  (open it in two browser windows; Ctrl+C stops it)`);
  },
  (error) => {
    const reason = error && error.code === "EADDRINUSE" ? `port ${port} is already in use (try PORT=3001 npm start)` : error;
    console.error(`The chat demo could not start: ${reason}`);
    process.exit(1);
  },
);

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    void chat.close().then(() => process.exit(0));
  });
}
