// The chat page. `io` is the global the served Socket.IO client bundle defines.
(() => {
  "use strict";

  const $ = (id) => document.getElementById(id);
  const ACK_TIMEOUT_MS = 5000;
  const TYPING_IDLE_MS = 1500;

  /** @type {import("@sockwave/io-client").Socket | undefined} */
  let socket;
  let currentRoom = "";
  const typists = new Set();
  let typingTimer;

  function setStatus(text, online) {
    $("status").textContent = text;
    $("status").classList.toggle("online", online);
  }

  function addLine(build) {
    const item = document.createElement("li");
    build(item);
    $("messages").append(item);
    item.scrollIntoView({ block: "end" });
    return item;
  }

  function addMessage(from, text, mine) {
    return addLine((item) => {
      const name = document.createElement("span");
      name.className = "from";
      name.textContent = from;
      item.append(name, document.createTextNode(text));
      if (mine) {
        const state = document.createElement("span");
        state.className = "state";
        state.textContent = "sending…";
        item.classList.add("mine");
        item.append(state);
      }
    });
  }

  function addNotice(text) {
    addLine((item) => {
      item.className = "notice";
      item.textContent = text;
    });
  }

  function showTypists() {
    const names = [...typists];
    $("typing").textContent =
      names.length === 0 ? "" : `${names.join(", ")} ${names.length === 1 ? "is" : "are"} typing…`;
  }

  function showRoster(members) {
    $("roster").replaceChildren(
      ...members.map((name) => {
        const item = document.createElement("li");
        item.textContent = name;
        return item;
      }),
    );
  }

  function join(room) {
    socket.timeout(ACK_TIMEOUT_MS).emit("join", room, (err, reply) => {
      if (err || reply.error) {
        addNotice(err ? "The server did not answer; try again." : reply.error);
        return;
      }
      currentRoom = reply.room;
      $("room-name").textContent = reply.room;
      $("messages").replaceChildren();
      typists.clear();
      showTypists();
      showRoster(reply.members);
      addNotice(`You joined ${reply.room}`);
    });
  }

  function connect(nickname) {
    socket = io({ auth: { nickname } });

    socket.on("connect", () => {
      setStatus(`online as ${nickname}`, true);
      $("login").hidden = true;
      $("chat").hidden = false;
      $("text").focus();
      join(currentRoom || $("room").value.trim());
    });
    socket.on("connect_error", (err) => {
      $("login-error").textContent = err.message;
      if (!socket.active) {
        // Refused by the server's middleware: let the user pick another nickname.
        $("login").hidden = false;
        $("chat").hidden = true;
      }
    });
    socket.on("disconnect", (reason) => setStatus(`offline (${reason})`, false));
    socket.on("message", (message) => {
      typists.delete(message.from);
      showTypists();
      addMessage(message.from, message.text, false);
    });
    socket.on("notice", addNotice);
    socket.on("roster", showRoster);
    socket.on("typing", ({ nickname: who, typing }) => {
      if (typing) typists.add(who);
      else typists.delete(who);
      showTypists();
    });
  }

  $("login").addEventListener("submit", (event) => {
    event.preventDefault();
    $("login-error").textContent = "";
    socket?.disconnect();
    connect($("nickname").value.trim());
  });

  $("room-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const room = $("room").value.trim();
    if (room && room !== currentRoom) join(room);
  });

  $("text").addEventListener("input", () => {
    if (!socket?.connected) return;
    if (!typingTimer) socket.emit("typing", true);
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => {
      typingTimer = undefined;
      socket.emit("typing", false);
    }, TYPING_IDLE_MS);
  });

  $("composer").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("text").value;
    if (!text.trim() || !socket) return;
    $("text").value = "";
    clearTimeout(typingTimer);
    typingTimer = undefined;
    socket.emit("typing", false);
    const line = addMessage("me", text, true);
    const state = line.querySelector(".state");
    // The server acks once it has relayed the message to the room: that is "delivered".
    socket.timeout(ACK_TIMEOUT_MS).emit("message", text, (err, reply) => {
      const failed = Boolean(err || reply.error);
      line.classList.add(failed ? "failed" : "delivered");
      state.textContent = failed ? (err ? "not delivered" : reply.error) : "delivered ✓";
    });
  });
})();
