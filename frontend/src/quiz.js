// quiz.js: the student's attempt page (courses/templates/courses/quiz_attempt.html).
//
// The page is rendered on the server; this script drives the attempt API (courses/api.py):
// - every change is saved at once with the question's next sequence number (ordered, idempotent saves:
//   the server keeps the newest seq, a stale or repeated one changes nothing);
// - saves wait in a queue kept in localStorage per attempt, so a lost connection (fetch fails, or
//   navigator.onLine is false) or a closed tab loses nothing; the queue is resent in order when the
//   browser is back online (`online` event) and on a retry with back-off;
// - "Saved at hh:mm:ss" per question and overall, in polite live regions;
// - the countdown runs from the server's deadline and the server's clock (not the device's clock);
// - submit asks first, listing unanswered questions; 409 time_up/finished goes to the review;
// - with the quiz setting "questions per page" (config.per_page > 0) it shows that many questions at a time,
//   with "Previous" / "Next" and a numbered navigator (answered ones marked); every question is already in
//   the page, so this works offline, and without JS every question shows.
const doc = document;
const root = doc.getElementById('quiz');
const configEl = doc.getElementById('quiz-config');

if (root && configEl) start(JSON.parse(configEl.textContent));

function start(config) {
  const S = config.strings;
  const form = doc.getElementById('quiz-form');
  const statusEl = doc.getElementById('quiz-status');
  const offlineEl = doc.getElementById('quiz-offline');
  const announceEl = doc.getElementById('quiz-announce');
  const timerEl = doc.getElementById('quiz-timer');
  const csrf = (doc.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/) || [])[1] || '';
  const storeKey = `quiz-queue:${config.attempt}`;
  const seqKey = `quiz-seq:${config.attempt}`;
  let offline = false; // the last send failed or the browser says it is offline
  let sending = false;
  let finished = false; // submitted, closed or time is up: nothing more is sent
  let retryDelay = 1000;
  let retryTimer = null;
  const questions = {};
  config.questions.forEach((q) => {
    questions[q.slot] = q;
  });

  // ---- The queue (localStorage) ----
  const readJSON = (key, fallback) => {
    try {
      const v = JSON.parse(localStorage.getItem(key));
      return v == null ? fallback : v;
    } catch (e) {
      return fallback;
    }
  };
  const writeJSON = (key, value) => {
    try {
      localStorage.setItem(key, JSON.stringify(value));
    } catch (e) {
      /* private mode or full: the in-memory queue still works */
    }
  };
  let queue = readJSON(storeKey, []); // [{slot, response, seq}] oldest first
  const lastSeq = readJSON(seqKey, {}); // slot → highest seq used on this device
  const persist = () => writeJSON(storeKey, queue);
  const nextSeq = (slot) => {
    const n = Math.max(lastSeq[slot] || 0, questions[slot].seq || 0) + 1;
    lastSeq[slot] = n;
    writeJSON(seqKey, lastSeq);
    return n;
  };

  // ---- Times ----
  const pad = (n) => String(n).padStart(2, '0');
  const clock = (d) => `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  const fmt = (s, vars) => s.replace(/%\((\w+)\)s/g, (m, k) => (k in vars ? vars[k] : m));
  const skew = Date.parse(config.server_time) - Date.now(); // server clock − device clock
  const serverNow = () => Date.now() + skew;

  function markSaved(slot, savedAt) {
    const text = fmt(S.saved_at, { time: clock(new Date(savedAt)) });
    const el = doc.getElementById(`q-${slot}-saved`);
    if (el) {
      el.textContent = text;
      el.dataset.state = 'saved';
    }
    statusEl.textContent = text;
  }
  function markPending(slot) {
    const el = doc.getElementById(`q-${slot}-saved`);
    if (el) {
      el.textContent = navigator.onLine === false || offline ? S.queued : S.saving;
      el.dataset.state = 'pending';
    }
  }
  doc.querySelectorAll('[data-saved-at]').forEach((span) => {
    const el = span.parentElement;
    el.textContent = fmt(S.saved_at, { time: clock(new Date(span.dataset.savedAt)) });
  });

  // ---- Reading and restoring answers ----
  function box(slot) {
    return doc.getElementById(`q-${slot}`);
  }
  function readResponse(slot) {
    const fs = box(slot);
    const kind = fs.dataset.input;
    const name = `q${slot}`;
    if (kind === 'radio') {
      const c = fs.querySelector(`input[name="${name}"]:checked`);
      return c ? Number(c.value) : null;
    }
    if (kind === 'checkbox') {
      return Array.from(fs.querySelectorAll(`input[name="${name}"]:checked`)).map((c) => Number(c.value));
    }
    if (kind === 'truefalse') {
      const c = fs.querySelector(`input[name="${name}"]:checked`);
      return c ? c.value === 'true' : null;
    }
    if (kind === 'truefalse_group') {
      return Array.from(fs.querySelectorAll('tr[data-statement]')).map((tr) => {
        const c = tr.querySelector('input:checked');
        return c ? c.value === 'true' : null;
      });
    }
    if (kind === 'matching') {
      const out = {};
      fs.querySelectorAll('select[data-pair]').forEach((s) => {
        if (s.value) out[s.dataset.pair] = s.value;
      });
      return out;
    }
    if (kind === 'ordering') {
      const places = Array.from(fs.querySelectorAll('select[data-item]')).map((s) => ({
        item: Number(s.dataset.item),
        place: s.value === '' ? 1e9 : Number(s.value),
      }));
      places.sort((a, b) => a.place - b.place || a.item - b.item);
      return places.map((p) => p.item);
    }
    if (kind === 'cloze') {
      const out = {};
      fs.querySelectorAll('[data-part]').forEach((el) => {
        if (el.value === '') return;
        out[el.dataset.part] = el.tagName === 'SELECT' ? Number(el.value) : el.value;
      });
      return out;
    }
    const field = fs.querySelector(`[name="${name}"]`);
    return field ? field.value : null;
  }
  function isAnswered(slot) {
    const r = readResponse(slot);
    if (r == null || r === '') return false;
    if (Array.isArray(r)) {
      if (box(slot).dataset.input === 'ordering') return Array.from(box(slot).querySelectorAll('select')).every((s) => s.value !== '');
      return r.length > 0 && r.every((v) => v !== null);
    }
    if (typeof r === 'object') return Object.keys(r).length > 0;
    return true;
  }
  function restore(slot, r) {
    const fs = box(slot);
    if (!fs || r == null) return;
    const kind = fs.dataset.input;
    const name = `q${slot}`;
    if (kind === 'radio' || kind === 'checkbox' || kind === 'truefalse') {
      const want = Array.isArray(r) ? r.map(String) : [String(r)];
      fs.querySelectorAll(`input[name="${name}"]`).forEach((c) => {
        c.checked = want.indexOf(c.value) >= 0;
      });
    } else if (kind === 'truefalse_group' && Array.isArray(r)) {
      fs.querySelectorAll('tr[data-statement]').forEach((tr, i) => {
        tr.querySelectorAll('input').forEach((c) => {
          c.checked = r[i] != null && c.value === String(r[i]);
        });
      });
    } else if (kind === 'matching' && typeof r === 'object') {
      fs.querySelectorAll('select[data-pair]').forEach((s) => {
        s.value = r[s.dataset.pair] || '';
      });
    } else if (kind === 'ordering' && Array.isArray(r)) {
      r.forEach((item, place) => {
        const s = fs.querySelector(`select[data-item="${item}"]`);
        if (s) s.value = String(place);
      });
    } else if (kind === 'cloze' && typeof r === 'object') {
      fs.querySelectorAll('[data-part]').forEach((el) => {
        const v = r[el.dataset.part];
        el.value = v == null ? '' : String(v);
      });
    } else {
      const field = fs.querySelector(`[name="${name}"]`);
      if (field) field.value = r;
    }
  }
  config.questions.forEach((q) => restore(q.slot, q.response));
  // Answers still waiting on this device are newer than the server's: show them.
  queue.forEach((e) => {
    if (e.seq > (questions[e.slot] ? questions[e.slot].seq : Infinity)) {
      restore(e.slot, e.response);
      markPending(e.slot);
    }
  });
  queue = queue.filter((e) => questions[e.slot] && e.seq > questions[e.slot].seq);
  persist();

  // ---- Pages: questions_per_page at a time, "Previous" / "Next" and the navigator ----
  const perPage = Number(config.per_page) || 0;
  const boxes = config.questions.map((q) => box(q.slot));
  const pageCount = perPage ? Math.ceil(boxes.length / perPage) : 1;
  const nav = doc.getElementById('quiz-nav');
  const pager = doc.getElementById('quiz-pager');
  const prevBtn = doc.getElementById('quiz-prev');
  const nextBtn = doc.getElementById('quiz-next');
  const paged = pageCount > 1 && nav && pager;
  const pageKey = `quiz-page:${config.attempt}`;
  let currentPage = 0;
  function markAnswered(slot) {
    if (!paged) return;
    const b = nav.querySelector(`[data-goto="${slot}"]`);
    if (!b) return;
    const yes = isAnswered(slot);
    b.dataset.answered = yes ? 'true' : 'false';
    const label = fmt(S.question, { n: b.dataset.number });
    b.querySelector('[data-nav-label]').textContent = `${label}, ${yes ? S.answered : S.not_answered}`;
  }
  function focusQuestion(index) {
    const legend = boxes[index].querySelector('legend');
    legend.tabIndex = -1;
    legend.focus();
  }
  function showPage(n, focusIndex) {
    currentPage = Math.max(0, Math.min(pageCount - 1, n));
    boxes.forEach((fs, i) => {
      fs.hidden = Math.floor(i / perPage) !== currentPage;
    });
    nav.querySelectorAll('[data-goto]').forEach((b, i) => {
      if (Math.floor(i / perPage) === currentPage) b.setAttribute('aria-current', 'true');
      else b.removeAttribute('aria-current');
    });
    prevBtn.disabled = currentPage === 0;
    nextBtn.disabled = currentPage === pageCount - 1;
    try {
      sessionStorage.setItem(pageKey, String(currentPage));
    } catch (e) {
      /* no storage: start on the first page next time */
    }
    if (focusIndex != null) focusQuestion(focusIndex);
  }
  if (paged) {
    nav.hidden = false;
    pager.hidden = false;
    config.questions.forEach((q) => markAnswered(q.slot));
    prevBtn.addEventListener('click', () => showPage(currentPage - 1, (currentPage - 1) * perPage));
    nextBtn.addEventListener('click', () => showPage(currentPage + 1, (currentPage + 1) * perPage));
    nav.addEventListener('click', (e) => {
      const b = e.target.closest('[data-goto]');
      if (!b) return;
      const index = boxes.findIndex((fs) => fs.dataset.slot === b.dataset.goto);
      showPage(Math.floor(index / perPage), index);
    });
    let saved = 0;
    try {
      saved = Number(sessionStorage.getItem(pageKey)) || 0;
    } catch (e) {
      saved = 0;
    }
    showPage(saved, null);
  }

  // ---- Sending ----

  function setOffline(on) {
    if (on === offline) return;
    offline = on;
    offlineEl.hidden = !on;
    root.dataset.offline = on ? 'true' : 'false';
    if (!on) announceEl.textContent = '';
  }
  function scheduleRetry() {
    if (retryTimer || finished) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      flush();
    }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 30000);
  }
  function goToReview(message) {
    finished = true;
    if (message) announceEl.textContent = message;
    form.querySelectorAll('input, select, textarea, button').forEach((el) => {
      el.disabled = true;
    });
    setTimeout(() => window.location.assign(config.review_url), message ? 1500 : 0);
  }

  async function flush() {
    if (sending || finished) return;
    if (!queue.length) {
      if (offline) {
        setOffline(false);
        statusEl.textContent = S.back_online;
      }
      return;
    }
    if (navigator.onLine === false) {
      setOffline(true);
      scheduleRetry();
      return;
    }
    sending = true;
    const entry = queue[0];
    let res;
    try {
      res = await fetch(config.save_url.replace('{slot}', entry.slot), {
        method: 'PUT',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CSRFToken': csrf, 'X-Attempt-Token': config.save_token || '' },
        body: JSON.stringify({ response: entry.response, seq: entry.seq }),
      });
    } catch (e) {
      sending = false;
      setOffline(true);
      scheduleRetry();
      return;
    }
    let body = {};
    try {
      body = await res.json();
    } catch (e) {
      body = {};
    }
    sending = false;
    if (res.ok) {
      queue.shift();
      persist();
      retryDelay = 1000;
      const q = questions[entry.slot];
      q.seq = Math.max(q.seq, body.seq || entry.seq);
      // Only the newest pending answer of a question clears its "saving" state.
      if (!queue.some((e) => e.slot === entry.slot)) markSaved(entry.slot, body.saved_at || serverNow());
      flush();
    } else if (res.status === 409 && (body.error === 'time_up' || body.error === 'finished')) {
      queue = [];
      persist();
      goToReview(body.error === 'time_up' ? S.time_up : body.message);
    } else if (res.status >= 500 || res.status === 0 || res.status === 429) {
      setOffline(true);
      scheduleRetry();
    } else {
      // 400 (bad answer), 401/403 (signed out), 404: say so; keep the answer in the queue only if it may pass later.
      const el = doc.getElementById(`q-${entry.slot}-saved`);
      if (el) {
        el.textContent = `${S.not_saved}: ${body.message || S.error}`;
        el.dataset.state = 'error';
      }
      if (res.status === 401 || res.status === 403) {
        announceEl.textContent = body.message || S.error;
        return; // keep the queue on this device; it is resent after signing in again
      }
      queue.shift();
      persist();
      flush();
    }
  }

  function enqueue(slot) {
    if (finished) return;
    const response = readResponse(slot);
    // A newer answer replaces an older one still waiting (not the one on its way: that is queue[0] while sending).
    queue = queue.filter((e, i) => e.slot !== Number(slot) || (sending && i === 0));
    queue.push({ slot: Number(slot), response, seq: nextSeq(slot) });
    persist();
    markPending(slot);
    flush();
  }

  form.addEventListener('submit', (e) => e.preventDefault()); // Enter in a text field must not reload
  const textTimers = {};
  form.addEventListener('change', (e) => {
    const fs = e.target.closest('[data-slot]');
    if (!fs) return;
    clearTimeout(textTimers[fs.dataset.slot]);
    enqueue(fs.dataset.slot);
    markAnswered(fs.dataset.slot);
  });
  form.addEventListener('input', (e) => {
    const fs = e.target.closest('[data-slot]');
    if (!fs || !/^(TEXTAREA|INPUT)$/.test(e.target.tagName) || /radio|checkbox/.test(e.target.type)) return;
    clearTimeout(textTimers[fs.dataset.slot]);
    textTimers[fs.dataset.slot] = setTimeout(() => enqueue(fs.dataset.slot), 800);
    markAnswered(fs.dataset.slot);
  });
  window.addEventListener('online', () => {
    retryDelay = 1000;
    clearTimeout(retryTimer);
    retryTimer = null;
    flush();
  });
  window.addEventListener('offline', () => setOffline(true));
  if (navigator.onLine === false) setOffline(true);
  flush();

  // ---- Countdown (server time) ----
  const deadline = config.deadline ? Date.parse(config.deadline) : null;
  const warned = {};
  let timeIsUp = false;
  async function timeUp() {
    timerEl.textContent = S.time_up;
    announceEl.textContent = S.time_up;
    form.querySelectorAll('input, select, textarea').forEach((el) => {
      el.disabled = true;
    });
    // The server still takes saves during its short grace: send what is waiting first.
    flush();
    for (let waited = 0; queue.length && !offline && !finished && waited < 10000; waited += 200) {
      await new Promise((r) => setTimeout(r, 200));
    }
    if (finished) return;
    finished = true;
    try {
      await fetch(config.submit_url, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'X-CSRFToken': csrf },
      });
    } catch (e) {
      /* the server closes the attempt at its deadline anyway */
    }
    goToReview(S.time_up);
  }
  function tick() {
    if (!deadline || finished || timeIsUp) return;
    const left = Math.max(0, Math.round((deadline - serverNow()) / 1000));
    const h = Math.floor(left / 3600);
    const m = Math.floor((left % 3600) / 60);
    const s = left % 60;
    timerEl.textContent = h ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`;
    timerEl.setAttribute('datetime', `PT${left}S`);
    if (left <= 300 && left > 290 && !warned[5]) {
      warned[5] = true;
      announceEl.textContent = S.five_minutes;
    }
    if (left <= 60 && left > 50 && !warned[1]) {
      warned[1] = true;
      announceEl.textContent = S.one_minute;
    }
    timerEl.parentElement.classList.toggle('quiz-timer--low', left <= 60);
    if (left === 0 && !timeIsUp) {
      timeIsUp = true;
      timeUp();
    }
  }
  if (deadline && timerEl) {
    tick();
    setInterval(tick, 1000);
  }

  // ---- Submit ----
  const dialog = doc.getElementById('quiz-confirm');
  const submitBtn = doc.getElementById('quiz-submit');
  const unanswered = () =>
    config.questions.filter((q) => !isAnswered(q.slot)).map((q) => fmt(S.question, { n: q.number }));

  async function submit() {
    if (finished) return;
    flush();
    for (let waited = 0; queue.length && !offline && waited < 15000; waited += 200) {
      await new Promise((r) => setTimeout(r, 200));
    }
    if (queue.length) {
      announceEl.textContent = S.submit_offline;
      return;
    }
    let res;
    try {
      res = await fetch(config.submit_url, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'X-CSRFToken': csrf },
      });
    } catch (e) {
      setOffline(true);
      announceEl.textContent = S.submit_offline;
      return;
    }
    if (res.ok || res.status === 409) {
      try {
        localStorage.removeItem(storeKey);
        localStorage.removeItem(seqKey);
      } catch (e) {
        /* nothing to clean */
      }
      goToReview();
    } else {
      let body = {};
      try {
        body = await res.json();
      } catch (e) {
        body = {};
      }
      announceEl.textContent = body.message || S.error;
    }
  }

  submitBtn.addEventListener('click', () => {
    const missing = unanswered();
    const text = missing.length ? fmt(S.unanswered, { list: missing.join(', ') }) : S.all_answered;
    if (dialog && typeof dialog.showModal === 'function') {
      doc.getElementById('quiz-confirm-body').textContent = text;
      dialog.showModal();
      doc.getElementById('quiz-confirm-no').focus();
    } else if (window.confirm(text)) {
      submit();
    }
  });
  if (dialog) {
    doc.getElementById('quiz-confirm-no').addEventListener('click', () => {
      dialog.close();
      submitBtn.focus();
    });
    doc.getElementById('quiz-confirm-yes').addEventListener('click', () => {
      dialog.close();
      submit();
    });
  }
}
