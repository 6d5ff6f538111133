// hls.js (light build: no subtitle/alt-audio/DRM code; captions come from <track>
// elements). Loaded by player.js only in browsers with Media Source Extensions, so
// pages without a video, and older iPhones (native HLS only), never download it.
// The UMD build is transpiled for old browsers (the .mjs one needs ES2020 syntax).
import Hls from 'hls.js/dist/hls.light.min.js';

window.Hls = Hls;
