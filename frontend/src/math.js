// KaTeX bundle (math.js). Loaded on demand by main.js only on pages that
// contain math delimiters, so pages without math never download it.
import renderMathInElement from 'katex/contrib/auto-render';

const OPTIONS = {
  delimiters: [
    { left: '$$', right: '$$', display: true },
    { left: '\\[', right: '\\]', display: true },
    { left: '\\(', right: '\\)', display: false },
    { left: '$', right: '$', display: false },
    { left: '\\begin{equation}', right: '\\end{equation}', display: true },
    { left: '\\begin{align}', right: '\\end{align}', display: true },
    { left: '\\begin{gather}', right: '\\end{gather}', display: true },
  ],
  ignoredTags: ['script', 'noscript', 'style', 'textarea', 'pre', 'code', 'option', 'input', 'select'],
  ignoredClasses: ['no-math'],
  throwOnError: false,
  // Vietnamese words inside math (e.g. $S = dài \times rộng$) must not warn.
  strict: 'ignore',
};

function renderMath(root) {
  renderMathInElement(root || document.body, OPTIONS);
}

window.vnsRenderMath = renderMath;
renderMath(document.body);
document.documentElement.setAttribute('data-math', 'rendered');
document.dispatchEvent(new CustomEvent('math:rendered'));
