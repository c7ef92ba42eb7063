/*
 * Noticebot chat widget: plain JavaScript, no framework, no build step.
 *
 * Talks to Rasa 3.6's Socket.IO channel (session persistence on):
 *   connect -> emit session_request {session_id: stored id or null}
 *           <- session_confirm "<session id>"           (only then may messages be sent)
 *   emit user_uttered {message, session_id}
 *   <- user_echo {text}                                   (the message as the server kept it)
 *   <- bot_uttered {text} | {text, quick_replies: [{title, payload}]} | {custom: {type, ...}}
 *
 * A calendar_file payload ("Add to calendar": {filename, content} of an .ics file) becomes a
 * download link to a Blob made in the page; its content is never put in sessionStorage.
 *
 * The session id is a token the server signed; the widget only stores and returns it.
 * What a person types is never stored as typed: it is shown at once, and the transcript in
 * sessionStorage gets the text the server sent back in user_echo (sensitive numbers removed).
 *
 * Safety: everything shown comes from createElement/textContent/setAttribute with fixed
 * attribute names. No HTML string from a message or from storage is ever parsed, and links
 * are made only for http: and https: URLs. The transcript kept in sessionStorage holds
 * message data objects the server sent, never HTML, and is re-rendered through the same renderer.
 */
(function () {
  "use strict";

  // ---------------------------------------------------------------- every word the page says
  // The page's own words (the chat's messages come from the server: domain/*.yml). The one
  // place to reword the page; docs/content.md lists where every other sentence lives.
  var TEXT = {
    title: "Ask about your IRS notice",
    disclaimer: "General education, not legal or tax advice.",
    intro: "Tell me which notice you received (for example \u201cI got a CP504\u201d) or " +
      "ask a question. Please don't type your Social Security number or bank details.",
    startOver: "Start over",
    startOverTitle: "Clear this conversation and start a new one",
    conversation: "Conversation",
    replying: "The assistant is replying\u2026",
    yourMessage: "Your message",
    placeholder: "Type your message",
    waiting: "Waiting for the connection\u2026",
    send: "Send",
    attach: "Send a photo or PDF of your notice",
    youSaid: "You said:",
    assistant: "Assistant:",
    replyOptions: "Reply options",
    status: {
      connecting: "Connecting\u2026",
      starting: "Connecting\u2026",
      connected: "Connected",
      reconnecting: "Reconnecting\u2026",
      unavailable: "Chat unavailable. Please reload the page."
    },
    fileWrongType: "I can only read a photo (JPEG or PNG) or a PDF of the notice. You can " +
      "also just type the notice code, like CP504.",
    fileTooBig: "That file is too big for me to read (at most {mb} MB). You can send a " +
      "smaller photo of the first page, or just type the notice code, like CP504.",
    // the notice card
    urgency: "Urgency: ",
    daysLeftUnknown: "days left unknown",
    dueToday: "due today",
    oneDayLeft: "1 day left",
    daysLeft: "{days} days left",
    oneDayOverdue: "1 day overdue",
    daysOverdue: "{days} days overdue",
    stage: "Stage",
    noticeDate: "Notice date",
    dateUnknown: "Date unknown",
    respondBy: "Respond by",
    deadlineUnknown: "Deadline unknown",
    sources: "Sources",
    urgencies: {
      overdue: "overdue",
      urgent: "urgent",
      soon: "soon",
      normal: "normal",
      unknown: "unknown"
    },
    // the route card
    routes: {
      pay: "Suggested route: pay",
      negotiate: "Suggested route: pay over time or settle",
      appeal: "Suggested route: challenge it",
      get_help: "Suggested route: get professional help"
    },
    notice: "Notice: ",
    why: "Why",
    nextSteps: "Next steps",
    forms: "Forms",
    form: "Form ",
    // the case card
    requestSaved: "Request saved",
    referenceNumber: "Your reference number: ",
    keepNumber: "Keep this number if you contact us about your notice.",
    // the calendar file card
    calendarFile: "Calendar file",
    download: "Download ",
    dates: "Dates: ",
    openCalendarFile: "Open the file to add the dates to your calendar app."
  };

  var SESSION_KEY = "noticebot.session_id";
  var TRANSCRIPT_KEY = "noticebot.transcript";
  var MAX_TRANSCRIPT = 300; // entries kept for a reload; older ones are dropped
  var MAX_INPUT = 2000;
  // A photo or PDF of the notice (read on the server: rasa_ext/documents.py, which enforces the
  // same limit, NOTICEBOT_UPLOAD_MAX_BYTES, before decoding).
  var MAX_FILE_BYTES = 10 * 1024 * 1024;
  var FILE_TYPES = ["image/jpeg", "image/png", "application/pdf"];
  var PENDING_TIMEOUT_MS = 20000;

  var URGENCIES = ["overdue", "urgent", "soon", "normal", "unknown"];
  var URGENCY_WORDS = TEXT.urgencies;
  var ROUTE_HEADINGS = TEXT.routes;
  var CARD_TYPES = ["notice_summary", "triage_result", "case_created", "calendar_file"];
  var CALENDAR_FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9.-]{0,99}\.ics$/;
  var MAX_CALENDAR_CHARS = 200000;

  // ---------------------------------------------------------------- small helpers

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  function isPlainObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  function isNonEmptyString(value) {
    return typeof value === "string" && value.trim() !== "";
  }

  function stringList(value) {
    if (!Array.isArray(value)) {
      return [];
    }
    return value.filter(isNonEmptyString).map(function (item) {
      return item.trim();
    });
  }

  function storageGet(key) {
    try {
      return window.sessionStorage.getItem(key);
    } catch (e) {
      return null;
    }
  }

  function storageSet(key, value) {
    try {
      window.sessionStorage.setItem(key, value);
    } catch (e) {
      console.warn("noticebot: could not save to sessionStorage", e);
    }
  }

  function storageRemove(key) {
    try {
      window.sessionStorage.removeItem(key);
    } catch (e) {
      /* nothing to do */
    }
  }

  // ---------------------------------------------------------------- links

  /* An absolute http(s) URL as a string, or null for anything else (javascript:, data:, ...). */
  function safeHttpUrl(candidate) {
    if (typeof candidate !== "string") {
      return null;
    }
    var parsed;
    try {
      parsed = new URL(candidate.trim());
    } catch (e) {
      return null;
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
      return null;
    }
    return parsed.href;
  }

  function makeLink(href, label) {
    var a = el("a", "nb-link", label);
    a.setAttribute("href", href);
    a.setAttribute("target", "_blank");
    a.setAttribute("rel", "noopener noreferrer");
    return a;
  }

  var URL_PATTERN = /https?:\/\/[^\s<>"'`]+/gi;

  /* Split a URL match from the punctuation that usually ends a sentence after it. */
  function trimUrl(raw) {
    var url = raw;
    var trailing = "";
    for (;;) {
      var last = url.charAt(url.length - 1);
      if (".,;:!?'\"".indexOf(last) !== -1) {
        // a trailing full stop or comma belongs to the sentence
      } else if (last === ")" && url.split("(").length < url.split(")").length) {
        // an unbalanced closing bracket belongs to the sentence
      } else if (last === "]" && url.split("[").length < url.split("]").length) {
        // likewise
      } else {
        break;
      }
      trailing = last + trailing;
      url = url.slice(0, -1);
    }
    return { url: url, trailing: trailing };
  }

  /* Append `text` to `parent` as text nodes, with http(s) URLs as <a> elements. */
  function appendLinkified(parent, text) {
    var source = String(text);
    var position = 0;
    var match;
    URL_PATTERN.lastIndex = 0;
    while ((match = URL_PATTERN.exec(source)) !== null) {
      var parts = trimUrl(match[0]);
      var href = safeHttpUrl(parts.url);
      if (!href || parts.url.length <= "https://".length) {
        continue;
      }
      if (match.index > position) {
        parent.appendChild(document.createTextNode(source.slice(position, match.index)));
      }
      parent.appendChild(makeLink(href, parts.url));
      position = match.index + parts.url.length;
    }
    if (position < source.length) {
      parent.appendChild(document.createTextNode(source.slice(position)));
    }
  }

  // ---------------------------------------------------------------- dates and words

  /* "2026-11-23" -> a local calendar Date (not UTC midnight), or null. */
  function parseIsoDate(value) {
    if (typeof value !== "string") {
      return null;
    }
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (!m) {
      return null;
    }
    var year = Number(m[1]);
    var month = Number(m[2]);
    var day = Number(m[3]);
    var date = new Date(year, month - 1, day);
    if (date.getFullYear() !== year || date.getMonth() !== month - 1 || date.getDate() !== day) {
      return null; // e.g. 2026-02-30
    }
    return date;
  }

  var DATE_FORMAT = { weekday: "short", month: "short", day: "numeric", year: "numeric" };

  function formatDate(date) {
    try {
      return date.toLocaleDateString("en-US", DATE_FORMAT); // "Mon, Nov 23, 2026"
    } catch (e) {
      return date.toDateString();
    }
  }

  function daysLeftWords(days) {
    if (days === null) {
      return "\u2014";
    }
    if (days === 0) {
      return TEXT.dueToday;
    }
    if (days > 0) {
      return days === 1 ? TEXT.oneDayLeft : TEXT.daysLeft.replace("{days}", String(days));
    }
    var late = -days;
    return late === 1 ? TEXT.oneDayOverdue : TEXT.daysOverdue.replace("{days}", String(late));
  }

  function formWords(form) {
    return /^form\b/i.test(form) ? form : TEXT.form + form;
  }

  // ---------------------------------------------------------------- message data

  /* A card payload checked and reduced to the fields the renderer uses, or null. */
  function normalizeCard(card) {
    if (!isPlainObject(card) || CARD_TYPES.indexOf(card.type) === -1) {
      return null;
    }
    if (card.type === "notice_summary") {
      if (!isNonEmptyString(card.notice_code) && !isNonEmptyString(card.title)) {
        return null;
      }
      var noticeDate = parseIsoDate(card.notice_date) ? card.notice_date : null;
      var deadline = parseIsoDate(card.response_deadline) ? card.response_deadline : null;
      var days =
        typeof card.days_left === "number" && Number.isInteger(card.days_left)
          ? card.days_left
          : null;
      return {
        type: "notice_summary",
        notice_code: isNonEmptyString(card.notice_code) ? card.notice_code.trim() : "",
        title: isNonEmptyString(card.title) ? card.title.trim() : "",
        stage: isNonEmptyString(card.stage) ? card.stage.trim() : "",
        notice_date: noticeDate,
        response_deadline: deadline,
        days_left: days,
        urgency: URGENCIES.indexOf(card.urgency) !== -1 ? card.urgency : "unknown",
        sources: stringList(card.sources).filter(function (s) {
          return safeHttpUrl(s) !== null;
        })
      };
    }
    if (card.type === "triage_result") {
      if (!Object.prototype.hasOwnProperty.call(ROUTE_HEADINGS, card.route)) {
        return null;
      }
      return {
        type: "triage_result",
        route: card.route,
        notice_code: isNonEmptyString(card.notice_code) ? card.notice_code.trim() : "",
        reasons: stringList(card.reasons),
        next_steps: stringList(card.next_steps),
        forms: stringList(card.forms)
      };
    }
    if (card.type === "calendar_file") {
      if (
        typeof card.filename !== "string" ||
        !CALENDAR_FILE_NAME.test(card.filename) ||
        typeof card.content !== "string" ||
        card.content.indexOf("BEGIN:VCALENDAR") !== 0 ||
        card.content.length > MAX_CALENDAR_CHARS
      ) {
        return null;
      }
      return {
        type: "calendar_file",
        notice_code: isNonEmptyString(card.notice_code) ? card.notice_code.trim() : "",
        filename: card.filename,
        dates: stringList(card.dates).filter(function (d) {
          return parseIsoDate(d) !== null;
        }),
        content: card.content
      };
    }
    // case_created
    if (!isNonEmptyString(card.case_id)) {
      return null;
    }
    return { type: "case_created", case_id: card.case_id.trim() };
  }

  /* A bot_uttered payload reduced to {text, quick_replies} or {custom}, or null to ignore. */
  function normalizeBotMessage(data) {
    if (!isPlainObject(data)) {
      return null;
    }
    if (data.custom !== undefined) {
      var card = normalizeCard(data.custom);
      if (!card) {
        console.warn("noticebot: ignored a card payload of unknown type or shape", data.custom);
      }
      return card ? { custom: card } : null;
    }
    if (typeof data.text === "string") {
      var replies = [];
      if (Array.isArray(data.quick_replies)) {
        data.quick_replies.forEach(function (reply) {
          if (
            isPlainObject(reply) &&
            isNonEmptyString(reply.title) &&
            typeof reply.payload === "string" &&
            reply.payload !== ""
          ) {
            replies.push({ title: reply.title, payload: reply.payload });
          }
        });
      }
      if (data.text.trim() === "" && replies.length === 0) {
        return null;
      }
      var message = { text: data.text };
      if (replies.length) {
        message.quick_replies = replies;
      }
      return message;
    }
    return null; // attachments, images, anything else
  }

  // ---------------------------------------------------------------- card renderers

  function cardShell(type, headingText) {
    var card = el("section", "nb-card nb-card-" + type.replace(/_/g, "-"));
    card.setAttribute("data-card", type);
    var heading = el("h3", "nb-card-heading", headingText);
    return { card: card, heading: heading };
  }

  function fieldSection(card, title, field, items, ordered, linkify, words) {
    if (!items.length) {
      return;
    }
    var section = el("div", "nb-card-section");
    section.appendChild(el("h4", "nb-card-subheading", title));
    var list = el(ordered ? "ol" : "ul", "nb-card-list");
    list.setAttribute("data-field", field);
    items.forEach(function (item) {
      var li = el("li");
      var text = words ? words(item) : item;
      if (linkify) {
        appendLinkified(li, text);
      } else {
        li.textContent = text;
      }
      list.appendChild(li);
    });
    section.appendChild(list);
    card.appendChild(section);
  }

  function dateFact(dl, label, field, iso, unknownText) {
    dl.appendChild(el("dt", null, label));
    var dd = el("dd");
    dd.setAttribute("data-field", field);
    dd.setAttribute("data-value", iso || "");
    var date = parseIsoDate(iso);
    if (date) {
      var time = el("time", null, formatDate(date));
      time.setAttribute("datetime", iso);
      dd.appendChild(time);
    } else {
      dd.textContent = unknownText;
    }
    dl.appendChild(dd);
  }

  function renderNoticeSummary(data) {
    var shell = cardShell("notice_summary", null);
    var card = shell.card;
    card.setAttribute("data-urgency", data.urgency);

    var heading = shell.heading;
    if (data.notice_code) {
      var code = el("span", "nb-code", data.notice_code);
      code.setAttribute("data-field", "notice_code");
      heading.appendChild(code);
    }
    if (data.notice_code && data.title) {
      heading.appendChild(document.createTextNode(": "));
    }
    if (data.title) {
      var title = el("span", null, data.title);
      title.setAttribute("data-field", "title");
      heading.appendChild(title);
    }
    card.appendChild(heading);

    var status = el("p", "nb-urgency-row");
    var badge = el("span", "nb-badge nb-badge-" + data.urgency);
    badge.appendChild(el("span", "nb-badge-label", TEXT.urgency));
    var urgency = el("strong", "nb-badge-word", URGENCY_WORDS[data.urgency]);
    urgency.setAttribute("data-field", "urgency");
    urgency.setAttribute("data-value", data.urgency);
    badge.appendChild(urgency);
    status.appendChild(badge);
    var days = el("strong", "nb-days-left", daysLeftWords(data.days_left));
    days.setAttribute("data-field", "days_left");
    days.setAttribute("data-value", data.days_left === null ? "" : String(data.days_left));
    if (data.days_left === null) {
      days.setAttribute("aria-label", TEXT.daysLeftUnknown);
    }
    status.appendChild(days);
    card.appendChild(status);

    var dl = el("dl", "nb-facts");
    if (data.stage) {
      dl.appendChild(el("dt", null, TEXT.stage));
      var stage = el("dd", null, data.stage.replace(/_/g, " "));
      stage.setAttribute("data-field", "stage");
      dl.appendChild(stage);
    }
    dateFact(dl, TEXT.noticeDate, "notice_date", data.notice_date, TEXT.dateUnknown);
    dateFact(dl, TEXT.respondBy, "response_deadline", data.response_deadline,
      TEXT.deadlineUnknown);
    card.appendChild(dl);

    if (data.sources.length) {
      var section = el("div", "nb-card-section nb-sources");
      section.appendChild(el("h4", "nb-card-subheading", TEXT.sources));
      var list = el("ul", "nb-card-list");
      list.setAttribute("data-field", "sources");
      data.sources.forEach(function (source) {
        var li = el("li");
        li.appendChild(makeLink(safeHttpUrl(source), source));
        list.appendChild(li);
      });
      section.appendChild(list);
      card.appendChild(section);
    }
    return card;
  }

  function renderTriageResult(data) {
    var shell = cardShell("triage_result", ROUTE_HEADINGS[data.route]);
    var card = shell.card;
    card.setAttribute("data-route", data.route);
    shell.heading.setAttribute("data-field", "route");
    shell.heading.setAttribute("data-value", data.route);
    card.appendChild(shell.heading);
    if (data.notice_code) {
      var p = el("p", "nb-card-line", TEXT.notice);
      var code = el("strong", "nb-code", data.notice_code);
      code.setAttribute("data-field", "notice_code");
      p.appendChild(code);
      card.appendChild(p);
    }
    fieldSection(card, TEXT.why, "reasons", data.reasons, false, true);
    fieldSection(card, TEXT.nextSteps, "next_steps", data.next_steps, true, true);
    fieldSection(card, TEXT.forms, "forms", data.forms, false, false, formWords);
    return card;
  }

  function renderCaseCreated(data) {
    var shell = cardShell("case_created", TEXT.requestSaved);
    var card = shell.card;
    card.appendChild(shell.heading);
    var p = el("p", "nb-card-line", TEXT.referenceNumber);
    var id = el("strong", "nb-case-id", data.case_id);
    id.setAttribute("data-field", "case_id");
    p.appendChild(id);
    card.appendChild(p);
    card.appendChild(el("p", "nb-card-note", TEXT.keepNumber));
    return card;
  }

  /* "Add to calendar": a link that downloads the .ics from a Blob made here (no request, no
   * storage; the CSP needs nothing more for a same-page blob: download). */
  function renderCalendarFile(data) {
    var shell = cardShell("calendar_file", TEXT.calendarFile);
    var card = shell.card;
    card.appendChild(shell.heading);
    var blob = new Blob([data.content], { type: "text/calendar;charset=utf-8" });
    var link = el("a", "nb-calendar-link", TEXT.download + data.filename);
    link.setAttribute("href", URL.createObjectURL(blob));
    link.setAttribute("download", data.filename);
    link.setAttribute("data-field", "calendar_file");
    var p = el("p", "nb-card-line");
    p.appendChild(link);
    card.appendChild(p);
    if (data.dates.length) {
      card.appendChild(
        el("p", "nb-card-note", TEXT.dates + data.dates.map(function (d) {
          return formatDate(parseIsoDate(d));
        }).join("; "))
      );
    }
    card.appendChild(
      el("p", "nb-card-note", TEXT.openCalendarFile)
    );
    return card;
  }

  var CARD_RENDERERS = {
    notice_summary: renderNoticeSummary,
    triage_result: renderTriageResult,
    case_created: renderCaseCreated,
    calendar_file: renderCalendarFile
  };

  // ---------------------------------------------------------------- the widget

  function Widget(root, config) {
    this.root = root;
    this.config = config;
    this.sessionId = storageGet(SESSION_KEY) || null;
    this.transcript = this.loadTranscript();
    this.awaitingEcho = []; // sent messages in order: {entry, bubble} (typed) or null (button)
    this.ready = false; // connected and session confirmed
    this.socket = null;
    this.focusAfterConfirm = false;
    this.pendingTimer = null;
    this.batchStart = null; // the first row of the assistant's latest answer
    this.build();
    this.renderTranscript();
    this.connect();
  }

  Widget.prototype.build = function () {
    var root = this.root;
    while (root.firstChild) {
      root.removeChild(root.firstChild);
    }
    var widget = el("section", "nb-widget");
    widget.setAttribute("aria-labelledby", "nb-title");

    var header = el("div", "nb-header");
    var titleBox = el("div", "nb-title-box");
    var title = el("h2", "nb-title", TEXT.title);
    title.id = "nb-title";
    titleBox.appendChild(title);
    var status = el("p", "nb-status", TEXT.status.connecting);
    status.id = "nb-status";
    status.setAttribute("role", "status");
    status.setAttribute("data-state", "connecting");
    titleBox.appendChild(status);
    header.appendChild(titleBox);
    var reset = el("button", "nb-reset", TEXT.startOver);
    reset.id = "nb-reset";
    reset.setAttribute("type", "button");
    reset.setAttribute("title", TEXT.startOverTitle);
    header.appendChild(reset);
    widget.appendChild(header);

    widget.appendChild(el("p", "nb-disclaimer", TEXT.disclaimer));

    var body = el("div", "nb-body");
    var intro = el("p", "nb-intro", TEXT.intro);
    body.appendChild(intro);
    var log = el("div", "nb-log");
    log.id = "nb-log";
    log.setAttribute("role", "log");
    log.setAttribute("aria-live", "polite");
    log.setAttribute("aria-label", TEXT.conversation);
    log.setAttribute("tabindex", "0");
    body.appendChild(log);
    var pending = el("p", "nb-pending", TEXT.replying);
    pending.hidden = true;
    body.appendChild(pending);
    widget.appendChild(body);

    var form = el("form", "nb-form");
    form.setAttribute("novalidate", "");
    var label = el("label", "nb-sr", TEXT.yourMessage);
    label.setAttribute("for", "nb-input");
    form.appendChild(label);
    var input = el("input", "nb-input");
    input.id = "nb-input";
    input.setAttribute("type", "text");
    input.setAttribute("autocomplete", "off");
    input.setAttribute("maxlength", String(MAX_INPUT));
    input.setAttribute("enterkeyhint", "send");
    input.setAttribute("aria-describedby", "nb-status");
    form.appendChild(input);
    // Attach a photo or PDF of the notice (also: drop the file on the chat).
    var fileInput = el("input", "nb-file");
    fileInput.id = "nb-file";
    fileInput.setAttribute("type", "file");
    fileInput.setAttribute("accept", FILE_TYPES.join(",") + ",.jpg,.jpeg,.png,.pdf");
    fileInput.hidden = true;
    form.appendChild(fileInput);
    var attach = el("button", "nb-attach", "\uD83D\uDCCE");
    attach.id = "nb-attach";
    attach.setAttribute("type", "button");
    attach.setAttribute("title", TEXT.attach);
    attach.setAttribute("aria-label", TEXT.attach);
    form.appendChild(attach);
    var send = el("button", "nb-send", TEXT.send);
    send.id = "nb-send";
    send.setAttribute("type", "submit");
    form.appendChild(send);
    widget.appendChild(form);

    root.appendChild(widget);

    this.els = {
      widget: widget,
      status: status,
      reset: reset,
      intro: intro,
      body: body,
      log: log,
      pending: pending,
      form: form,
      input: input,
      send: send,
      attach: attach,
      fileInput: fileInput
    };

    var self = this;
    // Keep the newest message in view when the log changes size (phone keyboard, rotation),
    // unless the person has scrolled up to read.
    this.stickToEnd = true;
    log.addEventListener("scroll", function () {
      self.stickToEnd = log.scrollTop + log.clientHeight >= log.scrollHeight - 24;
    });
    if (typeof window.ResizeObserver === "function") {
      new window.ResizeObserver(function () {
        if (self.stickToEnd) {
          log.scrollTop = log.scrollHeight;
        }
      }).observe(log);
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.sendTyped();
    });
    reset.addEventListener("click", function () {
      self.startOver();
    });
    attach.addEventListener("click", function () {
      fileInput.click();
    });
    fileInput.addEventListener("change", function () {
      if (fileInput.files && fileInput.files[0]) {
        self.sendFile(fileInput.files[0]);
      }
      fileInput.value = "";
    });
    widget.addEventListener("dragover", function (event) {
      event.preventDefault();
      widget.classList.add("nb-dropping");
    });
    widget.addEventListener("dragleave", function () {
      widget.classList.remove("nb-dropping");
    });
    widget.addEventListener("drop", function (event) {
      event.preventDefault();
      widget.classList.remove("nb-dropping");
      var files = event.dataTransfer && event.dataTransfer.files;
      if (files && files[0]) {
        self.sendFile(files[0]);
      }
    });
    this.setReady(false, "connecting");
  };

  /* Send a photo or PDF of the notice as base64 in the message's metadata ("document"). The
   * server reads it, removes sensitive numbers, keeps only what it read (never the file) and
   * reads it back for a yes. The transcript keeps "Sent a file", never the file or its name. */
  Widget.prototype.sendFile = function (file) {
    var self = this;
    if (!this.ready) {
      return;
    }
    if (FILE_TYPES.indexOf(file.type) < 0 && !/\.(jpe?g|png|pdf)$/i.test(file.name || "")) {
      this.addEntry({ from: "bot", msg: { text: TEXT.fileWrongType } });
      return;
    }
    if (file.size > MAX_FILE_BYTES) {
      this.addEntry({ from: "bot", msg: { text: TEXT.fileTooBig.replace(
        "{mb}", String(Math.round(MAX_FILE_BYTES / 1048576))) } });
      return;
    }
    var reader = new window.FileReader();
    reader.onload = function () {
      var url = String(reader.result || "");
      var data = url.slice(url.indexOf(",") + 1);
      self.addEntry({ from: "user", text: "\uD83D\uDCCE Sent a file of the notice" });
      self.awaitingEcho.push(null); // the echo ("/share_document") is not shown
      self.socket.emit("user_uttered", {
        message: "",
        session_id: self.sessionId,
        metadata: { document: { type: file.type || "", data: data } }
      });
      self.setPending(true);
    };
    reader.readAsDataURL(file);
  };

  // ------------------------------------------------ state and status

  Widget.prototype.setReady = function (ready, state) {
    this.ready = ready;
    var els = this.els;
    els.status.textContent = TEXT.status[state] || state;
    els.status.setAttribute("data-state", state);
    els.widget.setAttribute("data-state", state);
    els.input.disabled = !ready;
    els.send.disabled = !ready;
    els.attach.disabled = !ready;
    els.input.setAttribute(
      "placeholder",
      ready ? TEXT.placeholder : TEXT.waiting
    );
    var buttons = els.log.querySelectorAll("button.nb-button");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].disabled = !ready;
    }
    if (!ready) {
      this.setPending(false);
    }
  };

  Widget.prototype.setPending = function (on) {
    var self = this;
    if (this.pendingTimer) {
      clearTimeout(this.pendingTimer);
      this.pendingTimer = null;
    }
    this.els.pending.hidden = !on;
    if (on) {
      this.pendingTimer = setTimeout(function () {
        self.els.pending.hidden = true;
      }, PENDING_TIMEOUT_MS);
    }
  };

  // ------------------------------------------------ transcript

  Widget.prototype.loadTranscript = function () {
    var raw = storageGet(TRANSCRIPT_KEY);
    if (!raw) {
      return [];
    }
    try {
      var list = JSON.parse(raw);
      return Array.isArray(list) ? list.filter(isPlainObject) : [];
    } catch (e) {
      console.warn("noticebot: stored transcript unreadable, starting empty");
      return [];
    }
  };

  Widget.prototype.saveTranscript = function () {
    if (this.transcript.length > MAX_TRANSCRIPT) {
      this.transcript = this.transcript.slice(this.transcript.length - MAX_TRANSCRIPT);
    }
    // Typed text waiting for the server's echo is shown but never stored, nor a calendar file.
    var kept = this.transcript.filter(function (entry) {
      var custom = entry.msg && entry.msg.custom;
      return !entry.pending && !(custom && custom.type === "calendar_file");
    });
    storageSet(TRANSCRIPT_KEY, JSON.stringify(kept));
  };

  Widget.prototype.renderTranscript = function () {
    var self = this;
    this.transcript.forEach(function (entry) {
      try {
        self.renderEntry(entry);
      } catch (e) {
        console.warn("noticebot: could not show a stored message", e);
      }
    });
    this.updateIntro();
    this.scrollToEnd();
  };

  Widget.prototype.addEntry = function (entry) {
    this.transcript.push(entry);
    this.saveTranscript();
    this.renderEntry(entry);
    this.updateIntro();
    this.scrollToEnd();
  };

  Widget.prototype.updateIntro = function () {
    this.els.intro.hidden = this.els.log.childNodes.length > 0;
  };

  /* Show the newest messages. A long answer (a card, the deadline, the rights...) that does not
   * fit is shown from its first message, so its card is not scrolled past. */
  Widget.prototype.scrollToEnd = function () {
    var log = this.els.log;
    var first = this.batchStart;
    if (first && log.scrollHeight - first.offsetTop > log.clientHeight) {
      log.scrollTop = Math.max(0, first.offsetTop - 8);
      this.stickToEnd = false;
      return;
    }
    log.scrollTop = log.scrollHeight;
    this.stickToEnd = true;
  };

  /* Entries: {from: "user", text} or {from: "bot", msg: {text, quick_replies} | {custom}, answered}. */
  Widget.prototype.renderEntry = function (entry) {
    if (entry.from === "user" && typeof entry.text === "string") {
      this.renderUser(entry.text);
      return;
    }
    if (entry.from === "bot") {
      // Stored data is checked again: the renderer never trusts its input.
      var msg = normalizeBotMessage(entry.msg);
      if (!msg) {
        return;
      }
      if (msg.custom) {
        this.renderCard(msg.custom);
      } else {
        this.renderBotText(msg, entry);
      }
    }
  };

  Widget.prototype.row = function (who, srLabel) {
    var row = el("div", "nb-row nb-row-" + who);
    row.appendChild(el("span", "nb-sr", srLabel));
    this.els.log.appendChild(row);
    // The assistant's answer to one message starts at its first row (see scrollToEnd).
    if (who === "user") {
      this.batchStart = null;
    } else if (!this.batchStart) {
      this.batchStart = row;
    }
    return row;
  };

  Widget.prototype.renderUser = function (text) {
    var row = this.row("user", TEXT.youSaid);
    var bubble = el("div", "nb-msg nb-user", text);
    row.appendChild(bubble);
    return bubble;
  };

  Widget.prototype.renderBotText = function (msg, entry) {
    var row = this.row("bot", TEXT.assistant);
    if (msg.text.trim() !== "") {
      var bubble = el("div", "nb-msg nb-bot");
      appendLinkified(bubble, msg.text);
      row.appendChild(bubble);
    }
    if (msg.quick_replies && !entry.answered) {
      this.renderButtons(row, msg.quick_replies, entry);
    }
  };

  Widget.prototype.renderButtons = function (row, replies, entry) {
    var self = this;
    var group = el("div", "nb-buttons");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", TEXT.replyOptions);
    replies.forEach(function (reply) {
      var button = el("button", "nb-button", reply.title);
      button.setAttribute("type", "button");
      button.disabled = !self.ready;
      button.addEventListener("click", function () {
        if (!self.ready || group.parentNode === null) {
          return;
        }
        entry.answered = true;
        group.parentNode.removeChild(group);
        self.sendMessage(reply.title, reply.payload);
      });
      group.appendChild(button);
    });
    row.appendChild(group);
  };

  Widget.prototype.renderCard = function (data) {
    var card = CARD_RENDERERS[data.type](data);
    var row = this.row("bot", TEXT.assistant);
    var bubble = el("div", "nb-msg nb-bot nb-msg-card");
    bubble.appendChild(card);
    row.appendChild(bubble);
  };

  // ------------------------------------------------ sending and receiving

  Widget.prototype.sendTyped = function () {
    var text = this.els.input.value.trim();
    if (!text || !this.ready) {
      return;
    }
    this.els.input.value = "";
    this.sendMessage(text, text, true);
  };

  /* Show `shown` as the person's message and send `message` (a button's payload or the text).
   * Typed text is kept out of sessionStorage until the server's user_echo replaces it. */
  Widget.prototype.sendMessage = function (shown, message, typed) {
    // Buttons of earlier questions no longer apply once the person has answered.
    this.transcript.forEach(function (entry) {
      if (entry.from === "bot" && entry.msg && entry.msg.quick_replies) {
        entry.answered = true;
      }
    });
    var stale = this.els.log.querySelectorAll(".nb-buttons");
    for (var i = 0; i < stale.length; i++) {
      stale[i].parentNode.removeChild(stale[i]);
    }
    if (typed) {
      var entry = { from: "user", text: shown, pending: true };
      this.transcript.push(entry);
      var bubble = this.renderUser(shown);
      this.updateIntro();
      this.scrollToEnd();
      this.awaitingEcho.push({ entry: entry, bubble: bubble });
    } else {
      this.addEntry({ from: "user", text: shown }); // a button's title: the server's own words
      this.awaitingEcho.push(null);
    }
    this.socket.emit("user_uttered", { message: message, session_id: this.sessionId });
    this.setPending(true);
    this.els.input.focus();
  };

  /* The server's copy of the oldest message sent: stored (and shown) instead of what was typed. */
  Widget.prototype.receiveEcho = function (data) {
    if (!this.awaitingEcho.length) {
      return;
    }
    var waiting = this.awaitingEcho.shift();
    if (!waiting || !isPlainObject(data) || typeof data.text !== "string") {
      return;
    }
    waiting.entry.text = data.text;
    delete waiting.entry.pending;
    waiting.bubble.textContent = data.text;
    this.saveTranscript();
  };

  Widget.prototype.receive = function (data) {
    var msg = normalizeBotMessage(data);
    if (!msg) {
      return;
    }
    this.setPending(false);
    this.addEntry({ from: "bot", msg: msg });
  };

  Widget.prototype.connect = function () {
    var self = this;
    var config = this.config;
    if (typeof window.io !== "function") {
      console.error("noticebot: socket.io client did not load");
      this.setReady(false, "unavailable");
      return;
    }
    var socket = window.io(config.socketUrl, {
      path: config.socketPath,
      transports: ["websocket"]
    });
    this.socket = socket;

    socket.on("connect", function () {
      // Echoes of messages sent before a reconnection will not come: those stay unsaved.
      self.awaitingEcho = [];
      self.setReady(false, "starting");
      socket.emit("session_request", { session_id: self.sessionId });
    });

    socket.on("session_confirm", function (data) {
      var id = typeof data === "string" ? data : isPlainObject(data) ? data.session_id : null;
      if (!isNonEmptyString(id)) {
        console.warn("noticebot: session_confirm without a session id", data);
        return;
      }
      if (self.sessionId && id !== self.sessionId) {
        // A different conversation: the stored transcript does not belong to it.
        self.clearTranscript();
      }
      self.sessionId = id;
      storageSet(SESSION_KEY, id);
      self.setReady(true, "connected");
      if (self.focusAfterConfirm) {
        self.focusAfterConfirm = false;
        self.els.input.focus();
      }
    });

    socket.on("user_echo", function (data) {
      try {
        self.receiveEcho(data);
      } catch (e) {
        console.warn("noticebot: could not keep a sent message", e);
      }
    });

    socket.on("bot_uttered", function (data) {
      try {
        self.receive(data);
      } catch (e) {
        console.warn("noticebot: could not show a bot message", e);
      }
    });

    socket.on("disconnect", function (reason) {
      self.setReady(false, "reconnecting");
      if (reason === "io server disconnect") {
        socket.connect(); // the server closed it: socket.io does not retry by itself
      }
    });

    socket.on("connect_error", function () {
      self.setReady(false, self.everConnected() ? "reconnecting" : "connecting");
    });
    socket.io.on("reconnect_attempt", function () {
      self.setReady(false, "reconnecting");
    });
  };

  Widget.prototype.everConnected = function () {
    return this.sessionId !== null;
  };

  Widget.prototype.clearTranscript = function () {
    this.transcript = [];
    this.awaitingEcho = [];
    storageRemove(TRANSCRIPT_KEY);
    var log = this.els.log;
    while (log.firstChild) {
      log.removeChild(log.firstChild);
    }
    this.setPending(false);
    this.updateIntro();
  };

  Widget.prototype.startOver = function () {
    this.clearTranscript();
    this.sessionId = null;
    storageRemove(SESSION_KEY);
    this.focusAfterConfirm = true;
    if (this.socket) {
      // A fresh connection leaves the old conversation's room; connect asks for a new session.
      this.socket.disconnect();
      this.socket.connect();
    }
    this.setReady(false, "connecting");
  };

  // ---------------------------------------------------------------- mount

  function readConfig() {
    var raw = isPlainObject(window.NOTICEBOT_CONFIG) ? window.NOTICEBOT_CONFIG : {};
    return {
      socketUrl: isNonEmptyString(raw.socketUrl) ? raw.socketUrl : undefined,
      socketPath: isNonEmptyString(raw.socketPath) ? raw.socketPath : "/socket.io"
    };
  }

  function mount() {
    var root = document.getElementById("noticebot");
    if (!root) {
      root = el("div");
      root.id = "noticebot";
      document.body.appendChild(root);
    }
    if (!isPlainObject(window.NOTICEBOT_CONFIG)) {
      console.warn("noticebot: /config.js did not set NOTICEBOT_CONFIG; using this page's origin");
    }
    root.classList.add("nb-root");
    window.noticebotWidget = new Widget(root, readConfig());
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mount);
  } else {
    mount();
  }
})();
