// player.js: upgrades every lecture player ({% lecture_player video %},
// media_pipeline/templates/media_pipeline/player.html) to adaptive HLS.
//
// Without this script the <video> plays the 360p MP4 with its <track> captions.
// With it:
//   * browsers with Media Source Extensions load hls.js (player-hls.js) and play
//     the ladder, starting on the lowest rung and adapting; a quality menu
//     (Automatic + each rung) switches by hand;
//   * Safari (and other native-HLS players without MSE) play the master playlist
//     natively (captions then come from its subtitle rendition);
//   * anything else, or a fatal hls.js error, falls back to the MP4.
// Captions and speed menus work in every mode. All controls are native <video>
// controls and labelled <select>s, so keyboards and screen readers need nothing extra.
(function () {
  if (window.__vnsLecturePlayer) return; // the script tag is repeated once per player
  window.__vnsLecturePlayer = true;

  var doc = document;
  var HLS_TYPE = 'application/vnd.apple.mpegurl';
  var MSE_PROBE = 'video/mp4; codecs="avc1.42E01E,mp4a.40.2"';
  var hlsLoading = null;

  function mseSupported() {
    var MS = window.ManagedMediaSource || window.MediaSource || window.WebKitMediaSource;
    return !!(MS && typeof MS.isTypeSupported === 'function' && MS.isTypeSupported(MSE_PROBE));
  }

  function loadHls(src) {
    if (window.Hls) return Promise.resolve(window.Hls);
    if (!hlsLoading) {
      hlsLoading = new Promise(function (resolve, reject) {
        var s = doc.createElement('script');
        s.src = src;
        s.async = true;
        s.onload = function () {
          if (window.Hls) resolve(window.Hls);
          else reject(new Error('hls.js did not define Hls'));
        };
        s.onerror = function () {
          reject(new Error('hls.js could not be loaded'));
        };
        doc.head.appendChild(s);
      });
    }
    return hlsLoading;
  }

  function forEach(list, fn) {
    for (var i = 0; i < list.length; i++) fn(list[i], i);
  }

  function setup(figure) {
    if (figure.getAttribute('data-player-ready')) return;
    figure.setAttribute('data-player-ready', 'starting');
    var video = figure.querySelector('video');
    var controls = figure.querySelector('.lecture-player-controls');
    var note = figure.querySelector('.lecture-player-note');
    var master = figure.getAttribute('data-hls');
    if (!video || !master) return;
    var sources = Array.prototype.slice.call(video.querySelectorAll('source'));
    var state = { figure: figure, video: video, hls: null, engine: 'mp4' };
    figure.lecturePlayer = state;

    function say(text) {
      if (note) note.textContent = text || '';
    }

    function setEngine(engine) {
      state.engine = engine;
      figure.setAttribute('data-engine', engine);
      figure.setAttribute('data-player-ready', 'ready');
    }

    // ---- Speed ----
    var speed = controls && controls.querySelector('[data-control="speed"] select');
    if (speed) {
      speed.addEventListener('change', function () {
        var rate = parseFloat(speed.value) || 1;
        video.playbackRate = rate;
        video.defaultPlaybackRate = rate;
      });
      video.addEventListener('ratechange', function () {
        var value = String(video.playbackRate);
        forEach(speed.options, function (o) {
          if (parseFloat(o.value) === video.playbackRate) value = o.value;
        });
        if (speed.value !== value) speed.value = value;
      });
    }

    // ---- Captions (from <track> elements, or the HLS subtitle rendition in native mode) ----
    var captions = controls && controls.querySelector('[data-control="captions"] select');
    function applyCaptions() {
      if (!captions) return;
      var wanted = captions.value;
      var shown = false;
      forEach(video.textTracks, function (track) {
        var match = wanted && !shown && track.language === wanted && /captions|subtitles/.test(track.kind);
        if (match) shown = true;
        track.mode = match ? 'showing' : 'disabled';
      });
    }
    if (captions) {
      captions.addEventListener('change', applyCaptions);
      // The browser's own caption button changes the tracks: keep the menu in step.
      if (video.textTracks && video.textTracks.addEventListener) {
        video.textTracks.addEventListener('change', function () {
          var value = '';
          forEach(video.textTracks, function (t) {
            if (t.mode === 'showing' && !value) value = t.language;
          });
          if (captions.value !== value) captions.value = value;
        });
        // Native HLS adds subtitle tracks once the playlist is read: apply the choice to them too.
        video.textTracks.addEventListener('addtrack', applyCaptions);
      }
    }

    // ---- Quality (hls.js only) ----
    var qualityBox = controls && controls.querySelector('[data-control="quality"]');
    var quality = qualityBox && qualityBox.querySelector('select');
    var autoLabel = (quality && quality.getAttribute('data-auto-label')) || '%s';
    var audioLabel = (note && note.getAttribute('data-audio-label')) || 'audio';

    function levelName(level) {
      if (!level) return '';
      if (!level.height) return audioLabel;
      return Math.min(level.width || level.height, level.height) + 'p';
    }

    function fallbackToMp4(reason) {
      if (state.hls) {
        state.hls.destroy();
        state.hls = null;
      }
      if (qualityBox) qualityBox.hidden = true;
      if (!sources.length) {
        setEngine('none');
        return;
      }
      var at = video.currentTime || 0;
      var wasPlaying = !video.paused;
      video.removeAttribute('src');
      sources.forEach(function (s) {
        if (!s.parentNode) video.insertBefore(s, video.firstChild);
      });
      video.load();
      if (at) {
        video.addEventListener('loadedmetadata', function seek() {
          video.removeEventListener('loadedmetadata', seek);
          video.currentTime = at;
        });
      }
      if (wasPlaying) video.play().catch(function () {});
      setEngine('mp4');
      say(note && note.getAttribute('data-fallback-message'));
      if (window.console && reason) console.warn('lecture player: playing the MP4 (' + reason + ')');
    }

    function detachSources() {
      sources.forEach(function (s) {
        if (s.parentNode) s.parentNode.removeChild(s);
      });
    }

    function startHls(Hls) {
      detachSources();
      var hls = new Hls({
        startLevel: 0, // the lowest rung: starts fast on weak links, then adapts
        capLevelToPlayerSize: true, // never fetch more pixels than the player shows
        autoStartLoad: false, // no segments until the learner presses play (saves data)
        maxBufferLength: 30,
        backBufferLength: 30,
      });
      state.hls = hls;
      var manifestReady = false;
      var wantLoad = false;
      var recovered = { network: 0, media: 0 };

      function startLoading() {
        wantLoad = true;
        if (manifestReady && !state.loading) {
          state.loading = true;
          hls.startLoad(-1);
        }
      }
      video.addEventListener('play', startLoading);
      video.addEventListener('seeking', startLoading);

      hls.on(Hls.Events.MANIFEST_PARSED, function () {
        manifestReady = true;
        if (quality) {
          var byValue = {};
          forEach(hls.levels, function (level, i) {
            if (level.width && level.height) byValue[level.width + 'x' + level.height] = i;
          });
          forEach(Array.prototype.slice.call(quality.options), function (o) {
            if (o.value !== 'auto' && !(o.value in byValue)) o.parentNode.removeChild(o);
          });
          state.levelsByValue = byValue;
          if (qualityBox) qualityBox.hidden = quality.options.length < 3;
        }
        if (wantLoad || !video.paused || video.autoplay) startLoading();
      });
      hls.on(Hls.Events.LEVEL_SWITCHED, function (_e, data) {
        var level = hls.levels[data.level];
        var name = levelName(level);
        figure.setAttribute('data-level', name);
        if (quality && quality.options[0]) quality.options[0].textContent = autoLabel.replace('%s', name);
      });
      hls.on(Hls.Events.ERROR, function (_e, data) {
        if (!data.fatal) return;
        if (data.type === Hls.ErrorTypes.NETWORK_ERROR && recovered.network < 2) {
          recovered.network += 1;
          hls.startLoad(-1);
        } else if (data.type === Hls.ErrorTypes.MEDIA_ERROR && recovered.media < 1) {
          recovered.media += 1;
          hls.recoverMediaError();
        } else {
          fallbackToMp4(data.details);
        }
      });
      if (quality) {
        quality.addEventListener('change', function () {
          if (!state.hls) return;
          var index = quality.value === 'auto' ? -1 : state.levelsByValue[quality.value];
          hls.currentLevel = index === undefined ? -1 : index;
        });
      }
      hls.attachMedia(video);
      hls.loadSource(master);
      setEngine('hls.js');
    }

    function startNative() {
      detachSources();
      // The master playlist carries the captions as a subtitle rendition: drop the
      // duplicate <track> elements so the browser's menu lists each language once.
      if (figure.hasAttribute('data-hls-subtitles')) {
        forEach(Array.prototype.slice.call(video.querySelectorAll('track')), function (t) {
          t.parentNode.removeChild(t);
        });
      }
      video.src = master;
      video.addEventListener('error', function () {
        if (state.engine === 'native') fallbackToMp4('native HLS error');
      });
      setEngine('native');
    }

    if (controls) controls.hidden = false;
    if (mseSupported()) {
      loadHls(figure.getAttribute('data-hls-lib'))
        .then(function (Hls) {
          if (Hls.isSupported()) startHls(Hls);
          else fallbackToMp4('hls.js unsupported');
        })
        .catch(function (err) {
          if (video.canPlayType(HLS_TYPE)) startNative();
          else fallbackToMp4(err && err.message);
        });
    } else if (video.canPlayType(HLS_TYPE)) {
      startNative();
    } else {
      fallbackToMp4('no Media Source Extensions');
    }
  }

  function init() {
    forEach(doc.querySelectorAll('[data-lecture-player]'), setup);
  }

  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', init);
  else init();
  window.vnsLecturePlayers = init; // for content inserted later
})();
