// Resumable upload of a lecture video (media_pipeline/uploads.py describes the protocol).
// The file is sent in pieces with PUT ?offset=N; after a dropped connection the
// server is asked how much arrived and the upload continues from there. The
// upload id is remembered per file (name, size, date) in localStorage, so choosing
// the same file again after a reload continues it too. Without JavaScript the form
// posts the file in one request.
(function () {
  'use strict';
  var form = document.querySelector('form[data-video-upload]');
  if (!form || !window.fetch || !window.Blob || !Blob.prototype.slice) return;
  var fileInput = form.querySelector('input[type="file"]');
  var progress = form.querySelector('[data-upload-progress]');
  var statusEl = form.querySelector('[data-upload-status]');
  var errorEl = form.querySelector('[data-upload-error]');
  var button = form.querySelector('button[type="submit"]');
  var csrf = form.querySelector('input[name="csrfmiddlewaretoken"]').value;
  var chunkBytes = parseInt(form.getAttribute('data-chunk-bytes'), 10) || 4194304;
  var busy = false;

  function msg(name, params) {
    var text = form.getAttribute('data-msg-' + name) || '';
    Object.keys(params || {}).forEach(function (key) {
      text = text.split('%(' + key + ')s').join(String(params[key]));
    });
    return text.split('%%').join('%');
  }
  function say(text) { statusEl.textContent = text; }
  function fail(text) {
    errorEl.textContent = text;
    errorEl.hidden = false;
    busy = false;
    button.disabled = false;
  }
  function mb(bytes) { return (bytes / 1048576).toFixed(1); }
  function show(offset, size) {
    var percent = size ? Math.floor((offset * 100) / size) : 0;
    progress.hidden = false;
    progress.value = percent;
    say(msg('sending', { percent: percent, done: mb(offset), total: mb(size) }));
  }
  function fileKey(file) { return 'lms-video-upload:' + [file.name, file.size, file.lastModified].join(':'); }
  function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }

  function request(method, url, body) {
    var headers = { 'X-CSRFToken': csrf, Accept: 'application/json' };
    return fetch(url, { method: method, body: body, headers: headers, credentials: 'same-origin' }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) { data._status = r.status; return data; });
    });
  }

  function start(file) {
    var saved = null;
    try { saved = localStorage.getItem(fileKey(file)); } catch (e) { /* private mode */ }
    var resume = saved ? request('GET', saved) : Promise.resolve({ _status: 404 });
    return resume.then(function (state) {
      if (state._status === 200 && !state.video) return state;
      var data = new FormData();
      data.append('title', form.querySelector('[name="title"]').value);
      var school = form.querySelector('[name="school"]');
      if (school) data.append('school', school.value);
      data.append('filename', file.name);
      data.append('size', String(file.size));
      return request('POST', form.getAttribute('data-start-url'), data).then(function (created) {
        if (created._status !== 201) throw { message: created.error || msg('failed'), final: true };
        try { localStorage.setItem(fileKey(file), created.url); } catch (e) { /* ignore */ }
        return created;
      });
    });
  }

  function send(file, state) {
    var offset = state.offset;
    var url = state.url;
    var size = file.size;
    var step = Math.min(chunkBytes, state.chunk_bytes || chunkBytes);
    var failures = 0;
    function next() {
      show(offset, size);
      // At the end an empty piece asks the server to finish (if an earlier finish failed).
      var piece = offset >= size ? new Blob([]) : file.slice(offset, Math.min(size, offset + step));
      return request('PUT', url + '?offset=' + offset, piece).then(
        function (answer) {
          if (answer._status === 200 || answer._status === 409) {
            failures = 0;
            offset = answer.offset;
            if (answer.video) return answer;
            // 409: another request of this upload is still writing, or the offset moved: wait a little.
            return answer._status === 409 ? sleep(1000).then(next) : next();
          }
          if (answer._status >= 500) throw { message: answer.error };
          throw { message: answer.error || msg('failed'), final: true };
        },
        function () { throw { message: '' }; }
      ).catch(function (err) {
        if (err && err.final) throw err;
        failures += 1;
        if (failures > 8) throw { message: msg('failed'), final: true };
        var wait = Math.min(60, Math.pow(2, failures));
        say(msg('retrying', { seconds: wait }));
        // Ask the server how much arrived, then continue from there.
        return sleep(wait * 1000).then(function () { return request('GET', url); }).then(function (s) {
          if (s._status === 200) offset = s.offset;
          if (s.video) return s;
          return next();
        }, next);
      });
    }
    return next();
  }

  form.addEventListener('submit', function (event) {
    if (!fileInput || !fileInput.files || !fileInput.files.length) return; // let the browser validate
    event.preventDefault();
    if (busy) return;
    var title = form.querySelector('[name="title"]');
    if (!title.value.trim()) { fail(msg('choose')); title.focus(); return; }
    var file = fileInput.files[0];
    busy = true;
    button.disabled = true;
    errorEl.hidden = true;
    start(file)
      .then(function (state) { return send(file, state); })
      .then(function (done) {
        try { localStorage.removeItem(fileKey(file)); } catch (e) { /* ignore */ }
        if (done.error) { fail(done.error); return; }
        say(msg('checking'));
        window.location.href = done.edit_url;
      })
      .catch(function (err) { fail((err && err.message) || msg('failed')); });
  });
})();
