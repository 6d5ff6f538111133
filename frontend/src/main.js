// app.js: small progressive enhancements. Every page works without it.
// (esbuild wraps this file in an IIFE, so nothing leaks into the global scope.)
const doc = document;
const script = doc.currentScript;

// ---- Math: load the KaTeX bundle only when the page contains math. ----
// Delimiters: $...$, $$...$$, \(...\), \[...\] (and \begin{equation|align|gather}).
const MATH_HINT = /\$|\\\(|\\\[|\\begin\{/;
const mathSrc = () =>
  (script && script.dataset.mathSrc) ||
  (script && script.src ? new URL('math.js', script.src).href : null);

function loadMath() {
  const main = doc.body;
  if (!main || !MATH_HINT.test(main.textContent || '')) return;
  const src = mathSrc();
  if (!src) return;
  const s = doc.createElement('script');
  s.src = src;
  s.async = true;
  doc.head.appendChild(s);
}

// ---- Header menu (<details>): Escape / outside click close it; on wide
// screens in browsers without ::details-content support, keep it open. ----
function enhanceMenu() {
  const menu = doc.querySelector('.site-menu');
  if (!menu) return;
  const summary = menu.querySelector('summary');
  let staticMode = false;

  doc.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && menu.open && !staticMode) {
      menu.open = false;
      if (summary) summary.focus();
    }
  });
  doc.addEventListener('click', (e) => {
    if (menu.open && !staticMode && !menu.contains(e.target)) menu.open = false;
  });

  const supportsDetailsContent =
    window.CSS && CSS.supports && CSS.supports('selector(::details-content)');
  if (!supportsDetailsContent && window.matchMedia) {
    const wide = window.matchMedia('(min-width: 60em)');
    const sync = () => {
      staticMode = wide.matches;
      menu.classList.toggle('site-menu--static', staticMode);
      menu.open = staticMode;
    };
    sync();
    if (wide.addEventListener) wide.addEventListener('change', sync);
  }
}

// ---- Forms ----
// data-confirm="Question?" on a <form> (or on its submit button) asks first.
// data-submit-once on a <form> ignores repeated submits (slow networks).
function enhanceForms() {
  doc.addEventListener('submit', (e) => {
    const form = e.target;
    if (!(form instanceof HTMLFormElement)) return;
    const button = e.submitter;
    const question =
      (button && button.getAttribute('data-confirm')) || form.getAttribute('data-confirm');
    if (question && !window.confirm(question)) {
      e.preventDefault();
      return;
    }
    if (form.hasAttribute('data-submit-once')) {
      if (form.dataset.submitting) {
        e.preventDefault();
        return;
      }
      form.dataset.submitting = '1';
      form.setAttribute('aria-busy', 'true');
      // Allow a retry if the page is still here after a while (e.g. timeout).
      setTimeout(() => {
        delete form.dataset.submitting;
        form.removeAttribute('aria-busy');
      }, 15000);
    }
  });
}

enhanceMenu();
enhanceForms();
loadMath();
