// slashchat's web client: one WebSocket to /ws, speaking the server's structured mode (one JSON event per line).
//
// It follows the terminal client (Sources/TerminalClient, Sources/ChatTerminal): the same nickname colours, mention
// rule, completion order, session tracking (my nickname and room, from the welcome and the notices) and reconnect
// backoff. Everything the server sends becomes text nodes (createElement + textContent), never HTML, so a message
// like `<img src=x onerror=…>` shows as those characters and runs nothing.
'use strict';

(function () {
    /** Seconds between reconnection attempts, as the terminal client waits: 1, 2, 4, 8, 15, 30, then 30 again. */
    const RECONNECT_DELAYS = [1, 2, 4, 8, 15, 30];
    /** The terminal client's nickname palette (TerminalStyle.nicknamePalette); style.css maps each to a colour. */
    const NICKNAME_PALETTE = [31, 32, 33, 34, 35, 36, 91, 92, 93, 94, 95, 96];
    /** Offered first for `:` completion, in this order (Completer.favouriteEmoji), so `:ta` gives `:tada:` 🎉. */
    const FAVOURITE_EMOJI = [
        'tada', 'smile', 'heart', '+1', 'thumbsup', 'joy', 'fire', 'rocket', 'wave', 'laughing', 'thinking', 'eyes',
        '100', 'sob', 'pray', 'clap', 'ok_hand', 'sunglasses', 'wink', 'grin', 'star', 'sparkles', 'coffee', 'pizza',
        'beer', 'cake', 'party_popper', 'shrug', 'facepalm', 'thumbsdown', '-1', 'rofl', 'heart_eyes', 'cry',
    ];
    /** The server's cap on one input line (README: bad input); a longer line is kept in the box, not sent. */
    const MAX_LINE_BYTES = 4096;
    /** Rows kept in the log; older ones go, so a day-long tab stays fast. */
    const MAX_LOG_ROWS = 2000;
    /** Lines typed while not joined (reconnecting), sent after the next welcome, as the terminal client holds them. */
    const MAX_HELD_LINES = 100;
    const MAX_INPUT_HISTORY = 100;
    const MAX_SUGGESTIONS = 50;
    const NICKNAME_KEY = 'slashchat.nickname';
    const BASE_TITLE = document.title;
    const LOBBY = '#main';

    const ui = {
        room: byId('room'),
        me: byId('me'),
        status: byId('status'),
        log: byId('log'),
        jump: byId('jump'),
        loginForm: byId('login-form'),
        nickname: byId('nickname'),
        nicknameHint: byId('nickname-hint'),
        passwordForm: byId('password-form'),
        password: byId('password'),
        passwordNick: byId('password-nick'),
        composer: byId('composer'),
        input: byId('input'),
        suggestions: byId('suggestions'),
    };
    const defaultHint = ui.nicknameHint.textContent;
    const defaultPlaceholder = ui.input.placeholder;
    const encoder = new TextEncoder();

    /** What the page remembers across reconnects (ClientSessionState), and the current connection's progress. */
    const state = {
        socket: null,
        /** My nickname as the server last confirmed it, or as typed before joining. */
        nickname: '',
        /** The room I am in, so a reconnect can return there. */
        room: LOBBY,
        /** The room to go back to after this connection's welcome. */
        returnRoom: LOBBY,
        /** This connection has had its welcome: typed lines are chat. */
        joined: false,
        /** Some connection had a welcome: a drop reconnects instead of going back to the nickname form. */
        everJoined: false,
        /** Nickname questions on this connection: the first is answered by the page, a second means refused. */
        nicknameQuestions: 0,
        /** What the server waits for from the person: 'nickname', 'password' or null. */
        awaiting: null,
        /** This connection's WebSocket opened: a close before the welcome was the server's, not the network's. */
        opened: false,
        /** The person typed /quit: a close is the end, not a drop. */
        quitting: false,
        /** The server's last words said why it closed, and retrying cannot help (ServerFarewell). */
        farewell: null,
        failures: 0,
        reconnectTimer: 0,
        countdownTimer: 0,
        held: [],
        knownNicknames: new Set(),
        knownCommands: new Set(),
        unread: 0,
    };

    // ---------------------------------------------------------------------------------------------------------------
    // Small helpers

    function byId(id) {
        return document.getElementById(id);
    }

    /** An element with a class and text; the text is always a text node. */
    function el(tag, className, text) {
        const node = document.createElement(tag);
        if (className) node.className = className;
        if (text !== undefined) node.textContent = text;
        return node;
    }

    /** A field of a server event as a string: anything else (missing, a number, an object) becomes ''. */
    function str(value) {
        return typeof value === 'string' ? value : '';
    }

    function utf8Length(text) {
        return encoder.encode(text).length;
    }

    /** The terminal's colour for a nickname: FNV-1a 32-bit over the lower-cased UTF-8 bytes, mod 12. */
    function nicknameColour(nickname) {
        let hash = 2166136261;
        for (const byte of encoder.encode(nickname.toLowerCase())) {
            hash = Math.imul(hash ^ byte, 16777619) >>> 0;
        }
        return NICKNAME_PALETTE[hash % NICKNAME_PALETTE.length];
    }

    const WORD_CHARACTER = /[\p{L}\p{N}_-]/u;

    /** True when `text` names `nickname` as a whole word, ignoring case (EventFormatter.mentions). */
    function mentions(text, nickname) {
        if (!nickname) return false;
        const lowered = text.toLowerCase();
        const target = nickname.toLowerCase();
        let from = 0;
        for (let guard = 0; guard < lowered.length + 1; guard++) {
            const at = lowered.indexOf(target, from);
            if (at < 0) return false;
            const before = at === 0 ? '' : lowered[at - 1];
            const after = lowered[at + target.length] || '';
            if (!WORD_CHARACTER.test(before) && !WORD_CHARACTER.test(after)) return true;
            from = at + target.length;
        }
        return false;
    }

    /** `HH:MM` in local time, from the server's timestamp or now. */
    function clock(milliseconds) {
        const date = typeof milliseconds === 'number' ? new Date(milliseconds) : new Date();
        return String(date.getHours()).padStart(2, '0') + ':' + String(date.getMinutes()).padStart(2, '0');
    }

    function isQuit(line) {
        return /^\s*\/(quit|exit|bye)(\s|$)/i.test(line);
    }

    function isValidNickname(name) {
        return /^[A-Za-z0-9_.-]{1,32}$/.test(name);
    }

    /** CommandName.isValid: what a command name may be, so a stray `/help` line teaches nothing wrong. */
    function isCommandName(name) {
        return /^[a-z0-9][a-z0-9_-]{0,31}$/.test(name);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The log

    function isNearBottom() {
        const log = ui.log;
        return log.scrollHeight - log.scrollTop - log.clientHeight < 48;
    }

    /** Appends a row, keeping the view at the bottom if it was there (or `follow`), else offering a jump. */
    function appendRow(row, follow) {
        const stick = follow || isNearBottom();
        ui.log.appendChild(row);
        while (ui.log.childElementCount > MAX_LOG_ROWS) ui.log.firstElementChild.remove();
        if (stick) {
            ui.log.scrollTop = ui.log.scrollHeight;
        } else {
            ui.jump.hidden = false;
        }
        return row;
    }

    /** A row: time, then a body the caller fills. `kind` is the event type (a class and data-type for tests). */
    function makeRow(kind, event) {
        const row = el('li', 'event ' + kind);
        row.dataset.type = kind;
        const time = el('time', 'time', clock(event.time));
        if (typeof event.time === 'number') time.dateTime = new Date(event.time).toISOString();
        row.appendChild(time);
        const body = el('span', 'body');
        if (event.history === true) {
            row.classList.add('history');
            body.appendChild(el('span', 'history-label', 'history'));
        }
        row.appendChild(body);
        return { row, body };
    }

    function nicknameElement(name) {
        const node = el('span', 'nick nick-' + nicknameColour(name), name);
        node.dataset.nick = name;
        return node;
    }

    /** A line of the page's own (not from the server): a notice or an error, shown like the server's. */
    function say(kind, text) {
        showEvent({ type: kind, text });
    }

    /** Renders one event; returns nothing. Every string from the server goes in as textContent. */
    function showEvent(event) {
        const type = str(event.type);
        const text = str(event.text);
        const from = str(event.from) || '?';
        const isHistory = event.history === true;
        const me = state.nickname;
        switch (type) {
            case 'message':
            case 'action': {
                const { row, body } = makeRow(type, event);
                row.dataset.from = from;
                const mentioned = !isHistory && from.toLowerCase() !== me.toLowerCase() && mentions(text, me);
                if (mentioned) row.classList.add('mention');
                if (type === 'action') body.append('* ');
                body.append(nicknameElement(from), ' ');
                body.appendChild(el('span', 'text', text));
                appendRow(row, from.toLowerCase() === me.toLowerCase() && !isHistory);
                if (mentioned) notifyUnread();
                return;
            }
            case 'pm': {
                const { row, body } = makeRow('pm', event);
                const to = str(event.to);
                if (to) {
                    body.appendChild(el('span', 'pm-label', 'PM to '));
                    body.append(nicknameElement(to), ' ');
                } else {
                    body.appendChild(el('span', 'pm-label', 'PM from '));
                    body.append(nicknameElement(from), ' ');
                    row.dataset.from = from;
                }
                body.appendChild(el('span', 'text', text));
                appendRow(row, Boolean(to));
                if (!to && !isHistory) notifyUnread();
                return;
            }
            case 'block':
                showBlock(event, text, from);
                return;
            case 'mode':
                return;
            case 'error':
            case 'welcome':
            case 'prompt':
            case 'notice':
            default: {
                const kind = ['error', 'welcome', 'prompt'].includes(type) ? type : 'notice';
                const { body, row } = makeRow(kind, event);
                body.appendChild(el('span', 'text', text));
                appendRow(row, kind === 'error' || kind === 'welcome');
            }
        }
    }

    /** cowsay, figlet, plugins: a header, then the lines verbatim in a monospace box that never rewraps them. */
    function showBlock(event, text, from) {
        const { row, body } = makeRow('block', event);
        row.dataset.from = from;
        row.dataset.command = str(event.command);
        body.appendChild(el('div', 'block-header', text));
        const lines = Array.isArray(event.lines) ? event.lines.map(str) : [];
        const box = el('pre', 'block-lines');
        box.tabIndex = 0; // wide blocks scroll sideways; the keyboard can reach them too
        box.setAttribute('aria-label', 'output of /' + (str(event.command) || 'command'));
        body.appendChild(box);
        const follow = isNearBottom();
        if (event.animation === 'train' && lines.length > 0) {
            box.classList.add('train');
            const car = el('span', 'train-car', lines.join('\n'));
            box.appendChild(car);
            appendRow(row, follow);
            rollTrain(box, car);
        } else {
            box.textContent = lines.join('\n');
            appendRow(row, follow);
        }
    }

    /**
     * The train arrives: it rolls in from the right edge of the message view and comes to rest at the left of its box,
     * in about four seconds, and then stays there, so the block is still readable afterwards (the terminal rolls it
     * away; a web log keeps what was said). Skipped when the system asks for reduced motion or history replays it.
     */
    function rollTrain(box, car) {
        if (typeof car.animate !== 'function') return;
        if (window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches) return;
        const distance = Math.max(box.clientWidth, 200);
        car.animate([{ transform: `translateX(${distance}px)` }, { transform: 'translateX(0)' }], {
            duration: 4000,
            easing: 'cubic-bezier(0.2, 0.6, 0.35, 1)',
        });
    }

    /** A mention or a private message while the tab is not looked at: `(N) slashchat` until it is. */
    function notifyUnread() {
        if (!document.hidden && document.hasFocus()) return;
        state.unread += 1;
        document.title = `(${state.unread}) ${BASE_TITLE}`;
    }

    function clearUnread() {
        if (document.hidden) return;
        state.unread = 0;
        document.title = BASE_TITLE;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Header, status and which form is shown

    function setStatus(kind, text) {
        ui.status.dataset.state = kind;
        ui.status.textContent = text;
    }

    function showHeader() {
        ui.room.textContent = state.room;
        ui.me.hidden = !state.joined;
        ui.me.textContent = state.joined ? 'as ' + state.nickname : '';
    }

    /** Shows one of the bottom forms ('login', 'password', 'composer') and focuses its field. */
    function showForm(name) {
        ui.loginForm.hidden = name !== 'login';
        ui.passwordForm.hidden = name !== 'password';
        ui.composer.hidden = name !== 'composer';
        if (name !== 'composer') closeSuggestions();
        const field = { login: ui.nickname, password: ui.password, composer: ui.input }[name];
        if (field) field.focus();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The session: what the page learns from events (ClientSessionState.observe)

    function observe(event) {
        const type = str(event.type);
        const from = str(event.from);
        if (from && from !== 'server' && type !== 'notice') state.knownNicknames.add(from);
        if (type === 'welcome') {
            if (str(event.to)) state.nickname = str(event.to);
            if (str(event.room)) state.room = str(event.room);
            if (Array.isArray(event.commands)) {
                state.knownCommands = new Set(event.commands.map(str).filter(isCommandName));
            }
        } else if (type === 'notice') {
            observeNotice(str(event.text), str(event.room));
        }
    }

    function observeNotice(text, room) {
        const me = state.nickname.toLowerCase();
        // `old is now known as new`
        const renamed = text.indexOf(' is now known as ');
        if (renamed >= 0) {
            const old = text.slice(0, renamed);
            const now = text.slice(renamed + ' is now known as '.length);
            state.knownNicknames.delete(old);
            state.knownNicknames.add(now);
            if (old.toLowerCase() === me) {
                state.nickname = now;
                rememberNickname(now);
                showHeader();
            }
            return;
        }
        // `NICK joined #ROOM`
        const joined = text.indexOf(' joined #');
        if (joined >= 0) {
            const who = text.slice(0, joined);
            if (who.toLowerCase() === me && room) {
                state.room = room;
                showHeader();
            } else if (!who.includes(' ')) {
                state.knownNicknames.add(who);
            }
            return;
        }
        // `#room (3): alice, bob (away: lunch)`
        const colon = text.indexOf('): ');
        if (text.startsWith('#') && colon >= 0) {
            for (const entry of text.slice(colon + 3).split(',')) {
                const name = entry.trim().split(' ')[0];
                if (name) state.knownNicknames.add(name);
            }
            return;
        }
        // `/help` lines: `  /name usage  summary`
        const trimmed = text.trim();
        if (trimmed.startsWith('/')) {
            const name = trimmed.slice(1).split(' ')[0];
            if (isCommandName(name)) state.knownCommands.add(name);
        }
    }

    /** The server's last words before a close that retrying cannot fix (ServerFarewell), or null. */
    function farewellFor(event) {
        if (str(event.type) !== 'error') return null;
        const text = str(event.text);
        if (
            text.startsWith('Your address is banned') ||
            text.includes('is banned from this server') ||
            text.startsWith('You have been disconnected: banned')
        ) {
            return 'banned';
        }
        // Two tabs logged into one account would otherwise take it from each other for ever.
        if (text.startsWith('You have been disconnected: logged in from elsewhere')) return 'replaced';
        if (text.startsWith('Wrong password') && text.endsWith('goodbye.')) return 'password';
        return null;
    }

    function rememberNickname(name) {
        try {
            localStorage.setItem(NICKNAME_KEY, name);
        } catch (error) {
            // Storage off (private mode, a policy): the form just starts empty next time.
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The connection

    function socketURL() {
        return (location.protocol === 'https:' ? 'wss:' : 'ws:') + '//' + location.host + '/ws';
    }

    function connect() {
        clearTimers();
        state.joined = false;
        state.nicknameQuestions = 0;
        state.awaiting = null;
        state.farewell = null;
        state.returnRoom = state.room;
        setStatus('connecting', 'connecting…');
        let socket;
        try {
            socket = new WebSocket(socketURL());
        } catch (error) {
            connectionClosed();
            return;
        }
        state.socket = socket;
        state.opened = false;
        socket.addEventListener('open', () => {
            if (state.socket === socket) state.opened = true;
        });
        // Events of a socket we have already given up on are ignored, so an old connection never acts on the new.
        socket.addEventListener('message', (message) => {
            if (state.socket === socket && typeof message.data === 'string') receive(message.data);
        });
        socket.addEventListener('close', () => {
            if (state.socket !== socket) return;
            state.socket = null;
            connectionClosed();
        });
    }

    /** A frame holds one or more complete lines, each one JSON event. */
    function receive(data) {
        for (const line of data.split('\n')) {
            if (line.trim() === '') continue;
            handle(decode(line));
        }
    }

    /** One line as an event; a line that is not JSON is read as a plain-mode line (ChatClient.decode). */
    function decode(line) {
        if (line.startsWith('{')) {
            try {
                const event = JSON.parse(line);
                if (event && typeof event === 'object' && typeof event.type === 'string') return event;
            } catch (error) {
                // Not JSON after all: shown as text below.
            }
        }
        if (line.startsWith('* ')) return { type: 'notice', text: line.slice(2) };
        if (line.startsWith('! ')) return { type: 'error', text: line.slice(2) };
        return { type: 'notice', text: line };
    }

    function handle(event) {
        observe(event);
        const farewell = farewellFor(event);
        if (farewell) state.farewell = farewell;
        const type = str(event.type);
        if (type === 'prompt') {
            handlePrompt(event);
            return;
        }
        if (type === 'welcome') {
            state.joined = true;
            state.everJoined = true;
            state.failures = 0;
            state.awaiting = null;
            rememberNickname(state.nickname);
            setStatus('connected', 'connected');
            ui.input.placeholder = defaultPlaceholder;
            showHeader();
            showEvent(event);
            showForm('composer');
            // Back to the room we were in before the connection dropped, then what was typed meanwhile.
            const welcomeRoom = str(event.room) || LOBBY;
            if (state.returnRoom.toLowerCase() !== welcomeRoom.toLowerCase()) send('/join ' + state.returnRoom);
            const held = state.held;
            state.held = [];
            for (const line of held) send(line);
            return;
        }
        showEvent(event);
    }

    function handlePrompt(event) {
        const field = str(event.field);
        if (field === 'nickname') {
            state.nicknameQuestions += 1;
            // The first question is answered with the nickname from the form (or the one we had, on a reconnect).
            if (state.nicknameQuestions === 1 && state.nickname) {
                send(state.nickname);
                return;
            }
            // Asked again: the nickname was refused (the `!` line before this said why). The person picks another.
            state.awaiting = 'nickname';
            showEvent(event);
            setStatus('connecting', 'choose another nickname');
            ui.nickname.value = state.nickname;
            showForm('login');
            ui.nickname.select();
            return;
        }
        if (field === 'password') {
            // Asked every time, after every reconnect too: the page never keeps a password.
            state.awaiting = 'password';
            showEvent(event);
            setStatus('connecting', 'password needed');
            ui.passwordNick.textContent = state.nickname;
            ui.password.value = '';
            showForm('password');
            return;
        }
        showEvent(event);
    }

    function connectionClosed() {
        const wasJoined = state.joined;
        state.joined = false;
        state.awaiting = null;
        showHeader();
        if (state.quitting) {
            state.quitting = false;
            state.everJoined = false;
            state.room = LOBBY;
            state.held = [];
            setStatus('offline', 'not connected');
            say('notice', 'You left the chat. Join again whenever you like.');
            showLogin();
            return;
        }
        if (state.farewell) {
            // A ban, a session taken over, a wrong password: another try would end the same way.
            state.everJoined = false;
            state.held = [];
            setStatus('offline', 'disconnected');
            showLogin();
            return;
        }
        if (!state.everJoined) {
            // Never got in (the server is not there, or refused every nickname): back to the form, no retry loop.
            setStatus('offline', 'not connected');
            const why = state.opened ? 'The server closed the connection before you joined.' : 'No server answered.';
            say('error', why);
            showLogin();
            return;
        }
        if (wasJoined) say('error', 'Connection lost; reconnecting…');
        scheduleReconnect();
    }

    function showLogin() {
        ui.nickname.value = state.nickname || ui.nickname.value;
        showForm('login');
    }

    function clearTimers() {
        clearTimeout(state.reconnectTimer);
        clearInterval(state.countdownTimer);
        state.reconnectTimer = 0;
        state.countdownTimer = 0;
    }

    /** Waits 1, 2, 4, 8, 15, 30 s (then 30 s again) before the next try; the header counts down. */
    function scheduleReconnect() {
        clearTimers();
        const delay = RECONNECT_DELAYS[Math.min(state.failures, RECONNECT_DELAYS.length - 1)];
        state.failures += 1;
        let left = delay;
        const tick = () => setStatus('reconnecting', `reconnecting in ${left}s…`);
        tick();
        state.countdownTimer = setInterval(() => {
            left = Math.max(0, left - 1);
            tick();
        }, 1000);
        state.reconnectTimer = setTimeout(connect, delay * 1000);
        // The composer stays: lines typed now are held and go out after the next welcome.
        ui.input.placeholder = 'Reconnecting… what you send now goes out once you are back';
        if (ui.composer.hidden) showForm('composer');
    }

    /** Sends one line as one text frame; false when there is no open connection. */
    function send(line) {
        const socket = state.socket;
        if (!socket || socket.readyState !== WebSocket.OPEN) return false;
        socket.send(line);
        return true;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The forms

    ui.loginForm.addEventListener('submit', (submit) => {
        submit.preventDefault();
        const name = ui.nickname.value.trim();
        if (!isValidNickname(name)) {
            ui.nicknameHint.textContent = 'A nickname is 1–32 letters, digits, _ - or . (no spaces).';
            ui.nicknameHint.classList.add('invalid');
            ui.nickname.setAttribute('aria-invalid', 'true');
            ui.nickname.focus();
            return;
        }
        ui.nicknameHint.textContent = defaultHint;
        ui.nicknameHint.classList.remove('invalid');
        ui.nickname.removeAttribute('aria-invalid');
        state.nickname = name;
        rememberNickname(name);
        if (state.awaiting === 'nickname' && send(name)) {
            // The same connection asked again: the answer goes there.
            state.awaiting = null;
            setStatus('connecting', 'joining…');
            return;
        }
        if (state.socket) state.socket.close();
        state.socket = null;
        state.failures = 0;
        connect();
    });

    ui.passwordForm.addEventListener('submit', (submit) => {
        submit.preventDefault();
        const password = ui.password.value;
        ui.password.value = '';
        if (!password) {
            ui.password.focus();
            return;
        }
        if (!send(password)) {
            say('error', 'Not connected; that password was not sent.');
            return;
        }
        state.awaiting = null;
        setStatus('connecting', 'checking the password…');
        showForm('composer');
    });

    ui.composer.addEventListener('submit', (submit) => {
        submit.preventDefault();
        submitLine();
    });

    function submitLine() {
        const line = ui.input.value;
        if (line.trim() === '') return;
        if (utf8Length(line) > MAX_LINE_BYTES) {
            say('error', `That line is over ${MAX_LINE_BYTES} bytes and was not sent; shorten it and try again.`);
            return;
        }
        rememberInput(line);
        ui.input.value = '';
        closeSuggestions();
        if (isQuit(line)) {
            state.quitting = true;
            clearTimers();
            if (!send(line)) connectionClosed();
            return;
        }
        if (state.joined) {
            if (!send(line)) say('error', 'Not connected; that line was not sent.');
            return;
        }
        if (state.held.length >= MAX_HELD_LINES) {
            say('error', 'Not connected; that line was not sent.');
            return;
        }
        state.held.push(line);
        say('notice', 'Not connected yet; that line goes out once you are back in.');
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Input history (Up/Down when no suggestion list is open)

    const inputHistory = { lines: [], index: 0, draft: '' };

    function rememberInput(line) {
        const lines = inputHistory.lines;
        if (lines[lines.length - 1] !== line) lines.push(line);
        if (lines.length > MAX_INPUT_HISTORY) lines.shift();
        inputHistory.index = lines.length;
        inputHistory.draft = '';
    }

    function browseHistory(step) {
        const lines = inputHistory.lines;
        if (lines.length === 0) return;
        if (inputHistory.index === lines.length) inputHistory.draft = ui.input.value;
        const index = Math.min(lines.length, Math.max(0, inputHistory.index + step));
        if (index === inputHistory.index) return;
        inputHistory.index = index;
        ui.input.value = index === lines.length ? inputHistory.draft : lines[index];
        const end = ui.input.value.length;
        ui.input.setSelectionRange(end, end);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Completion: commands after `/` as the first word, emoji after `:`, nicknames otherwise (Completer)

    /** The emoji table from GET /emoji (`shortcode<TAB>emoji` lines), fetched the first time `:` needs it. */
    const emoji = { byCode: null, ranked: null, loading: null };

    function loadEmoji() {
        if (emoji.byCode || emoji.loading) return;
        emoji.loading = fetch('/emoji', { credentials: 'same-origin' })
            .then((response) => (response.ok ? response.text() : Promise.reject(new Error(response.statusText))))
            .then((text) => {
                const byCode = new Map();
                for (const line of text.split('\n')) {
                    const tab = line.indexOf('\t');
                    if (tab > 0) byCode.set(line.slice(0, tab), line.slice(tab + 1).trim());
                }
                emoji.byCode = byCode;
                // Shortest first, then alphabetical, as the Completer ranks the ones that are not favourites.
                emoji.ranked = [...byCode.keys()].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
                // The person may have typed `:ta` while it loaded: offer now.
                if (document.activeElement === ui.input) updateSuggestions(false);
            })
            .catch(() => {
                // Offline or refused: no emoji suggestions this time; the next `:` tries again.
            })
            .finally(() => {
                emoji.loading = null;
            });
    }

    /** The word before the caret, where it starts, and whether it is the first word of the line. */
    function wordAtCaret() {
        const value = ui.input.value;
        const caret = ui.input.selectionStart === null ? value.length : ui.input.selectionStart;
        let start = caret;
        while (start > 0 && !/\s/.test(value[start - 1])) start -= 1;
        return { word: value.slice(start, caret), start, end: caret, isFirst: value.slice(0, start).trim() === '' };
    }

    /** Candidates for `word`, best first: each `{label, insert, glyph}`. */
    function candidatesFor(word, isFirst) {
        const lowered = word.toLowerCase();
        if (word.startsWith('/') && isFirst) {
            const name = lowered.slice(1);
            return [...state.knownCommands]
                .filter((command) => command.startsWith(name))
                .sort()
                .map((command) => ({ label: '/' + command, insert: '/' + command + ' ' }));
        }
        if (word.startsWith(':') && word.length >= 2) {
            if (!emoji.byCode) {
                loadEmoji();
                return [];
            }
            const prefix = lowered.slice(1);
            const favourites = FAVOURITE_EMOJI.filter((code) => code.startsWith(prefix) && emoji.byCode.has(code));
            const chosen = new Set(favourites);
            const ranked = favourites.slice();
            for (const code of emoji.ranked) {
                if (ranked.length >= MAX_SUGGESTIONS) break;
                if (!chosen.has(code) && code.startsWith(prefix)) ranked.push(code);
            }
            // Picking inserts the emoji itself (what the room will see), followed by a space.
            return ranked.slice(0, MAX_SUGGESTIONS).map((code) => {
                const glyph = emoji.byCode.get(code);
                return { label: ':' + code + ':', insert: glyph + ' ', glyph };
            });
        }
        if (word === '') return [];
        return [...state.knownNicknames]
            .filter((name) => name.toLowerCase().startsWith(lowered))
            .sort()
            .map((name) => ({ label: name, insert: name + (isFirst ? ': ' : ' ') }));
    }

    const suggest = { items: [], index: 0, start: 0, end: 0 };

    function suggestionsOpen() {
        return !ui.suggestions.hidden;
    }

    /**
     * Refreshes the list for the word at the caret. Typing opens it by itself only for emoji (`:` and two
     * characters); Tab (`explicit`) opens it for commands and nicknames too.
     */
    function updateSuggestions(explicit) {
        const { word, start, end, isFirst } = wordAtCaret();
        const automatic = word.startsWith(':') && word.length >= 3 && !word.slice(1).includes(':');
        if (!explicit && !(automatic || suggestionsOpen())) return [];
        const items = word ? candidatesFor(word, isFirst) : [];
        if (items.length === 0) {
            closeSuggestions();
            return items;
        }
        suggest.items = items;
        suggest.index = 0;
        suggest.start = start;
        suggest.end = end;
        renderSuggestions();
        return items;
    }

    function renderSuggestions() {
        const list = ui.suggestions;
        list.replaceChildren();
        suggest.items.forEach((item, index) => {
            const option = el('li');
            option.id = 'suggestion-' + index;
            option.setAttribute('role', 'option');
            option.setAttribute('aria-selected', String(index === suggest.index));
            option.dataset.insert = item.insert;
            if (item.glyph) option.appendChild(el('span', 'glyph', item.glyph));
            option.appendChild(el('span', 'label', item.label));
            list.appendChild(option);
        });
        list.hidden = false;
        ui.input.setAttribute('aria-expanded', 'true');
        ui.input.setAttribute('aria-activedescendant', 'suggestion-' + suggest.index);
    }

    function moveSelection(step) {
        const count = suggest.items.length;
        suggest.index = (suggest.index + step + count) % count;
        const options = ui.suggestions.children;
        for (let index = 0; index < options.length; index++) {
            options[index].setAttribute('aria-selected', String(index === suggest.index));
        }
        options[suggest.index].scrollIntoView({ block: 'nearest' });
        ui.input.setAttribute('aria-activedescendant', 'suggestion-' + suggest.index);
    }

    function closeSuggestions() {
        ui.suggestions.hidden = true;
        ui.suggestions.replaceChildren();
        suggest.items = [];
        ui.input.setAttribute('aria-expanded', 'false');
        ui.input.removeAttribute('aria-activedescendant');
    }

    /** Replaces the word being completed with the chosen candidate and puts the caret after it. */
    function accept(index) {
        const item = suggest.items[index];
        if (!item) return;
        const value = ui.input.value;
        ui.input.value = value.slice(0, suggest.start) + item.insert + value.slice(suggest.end);
        const caret = suggest.start + item.insert.length;
        closeSuggestions();
        ui.input.focus();
        ui.input.setSelectionRange(caret, caret);
    }

    ui.input.addEventListener('input', () => updateSuggestions(false));

    ui.input.addEventListener('keydown', (key) => {
        if (key.isComposing) return;
        if (suggestionsOpen()) {
            switch (key.key) {
                case 'ArrowDown':
                    key.preventDefault();
                    moveSelection(1);
                    return;
                case 'ArrowUp':
                    key.preventDefault();
                    moveSelection(-1);
                    return;
                case 'Enter':
                case 'Tab':
                    key.preventDefault();
                    accept(suggest.index);
                    return;
                case 'Escape':
                    key.preventDefault();
                    closeSuggestions();
                    return;
            }
        }
        if (key.key === 'Tab' && !key.shiftKey && !key.altKey && !key.ctrlKey && !key.metaKey) {
            // Completes when there is something to complete; otherwise Tab leaves the box as usual.
            const items = updateSuggestions(true);
            if (items.length === 1) {
                key.preventDefault();
                accept(0);
            } else if (items.length > 1) {
                key.preventDefault();
            }
            return;
        }
        if (key.key === 'ArrowUp' && !key.shiftKey) {
            key.preventDefault();
            browseHistory(-1);
        } else if (key.key === 'ArrowDown' && !key.shiftKey) {
            key.preventDefault();
            browseHistory(1);
        }
    });

    // A click picks; pressing first keeps the focus (and the caret) in the message box.
    ui.suggestions.addEventListener('mousedown', (press) => press.preventDefault());
    ui.suggestions.addEventListener('click', (click) => {
        const option = click.target.closest('li');
        if (!option) return;
        accept(Array.prototype.indexOf.call(ui.suggestions.children, option));
    });
    ui.input.addEventListener('blur', () => {
        // Leaving the box closes the list (after a click on it has been handled).
        setTimeout(() => {
            if (document.activeElement !== ui.input) closeSuggestions();
        }, 150);
    });
    ui.input.addEventListener('click', () => {
        if (suggestionsOpen()) updateSuggestions(false);
    });

    // ---------------------------------------------------------------------------------------------------------------
    // The rest of the page

    ui.jump.addEventListener('click', () => {
        ui.log.scrollTop = ui.log.scrollHeight;
        ui.jump.hidden = true;
        ui.input.focus();
    });
    ui.log.addEventListener('scroll', () => {
        if (isNearBottom()) ui.jump.hidden = true;
    });
    window.addEventListener('focus', clearUnread);
    document.addEventListener('visibilitychange', clearUnread);
    // Back online after a network change: try at once instead of waiting out the backoff.
    window.addEventListener('online', () => {
        if (state.reconnectTimer) connect();
    });

    try {
        ui.nickname.value = localStorage.getItem(NICKNAME_KEY) || '';
    } catch (error) {
        // No storage: the form starts empty.
    }
    showHeader();
    showForm('login');
    if (ui.nickname.value) ui.nickname.select();
})();
