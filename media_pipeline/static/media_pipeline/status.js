// Follows a lecture video's conversion on its admin page: polls the JSON status
// endpoint every few seconds while a job is active and updates the progress bar,
// the status text and which buttons show; reloads when the video becomes ready
// (except where the box says data-no-reload: in a material editor, a reload
// would throw away what the teacher is typing).
(function () {
  'use strict';
  var box = document.querySelector('[data-video-status][data-status-url]');
  if (!box || !window.fetch) return;
  var url = box.getAttribute('data-status-url');
  var state = JSON.parse(box.getAttribute('data-state') || '{}');
  var wasActive = !!(state.job && state.job.active);

  function render(s) {
    box.querySelector('[data-status-label]').textContent = s.status_label;
    var job = s.job;
    var jobEl = box.querySelector('[data-job]');
    if (job) {
      jobEl.hidden = false;
      box.querySelector('progress').value = job.progress;
      box.querySelector('progress').textContent = job.progress + '%';
      var attempt = (box.getAttribute('data-msg-attempt') || '')
        .replace('%(attempts)s', job.attempts).replace('%(max)s', job.max_attempts);
      box.querySelector('[data-job-text]').textContent =
        job.state_label + ' – ' + job.progress + '%' + (job.attempts > 1 ? ' (' + attempt + ')' : '');
      var error = box.querySelector('[data-job-error]');
      error.textContent = job.error || '';
      error.hidden = !job.error;
    }
    var active = !!(job && job.active);
    var cancel = box.querySelector('[data-when-active]');
    var retry = box.querySelector('[data-when-idle]');
    if (cancel) cancel.hidden = !active;
    if (retry) retry.hidden = active;
    return active;
  }

  function poll() {
    fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        var active = render(s);
        if (wasActive && !active && s.playable && !box.hasAttribute('data-no-reload')) {
          window.location.reload();
          return;
        }
        wasActive = active;
        setTimeout(poll, active ? 2000 : 15000);
      })
      .catch(function () { setTimeout(poll, 10000); });
  }
  render(state);
  setTimeout(poll, 2000);
})();
