// 适老化: a large-text, high-contrast mode the reader can switch on. The choice is kept in this
// browser only (localStorage: no cookie, no banner); without JavaScript the page is simply in
// its normal, already accessible form and the switch does not appear.
(function () {
  var key = 'ecosite-large-text';
  var root = document.documentElement;
  var on = false;
  try { on = localStorage.getItem(key) === '1'; } catch (e) { /* storage blocked: default off */ }
  root.classList.toggle('large-text', on);
  document.addEventListener('DOMContentLoaded', function () {
    var slot = document.getElementById('mode-slot');
    if (!slot) return;
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'mode-toggle';
    button.textContent = '大字号·高对比';
    button.setAttribute('aria-pressed', on ? 'true' : 'false');
    button.addEventListener('click', function () {
      on = !on;
      root.classList.toggle('large-text', on);
      button.setAttribute('aria-pressed', on ? 'true' : 'false');
      try { localStorage.setItem(key, on ? '1' : '0'); } catch (e) { /* not remembered, still applied */ }
    });
    slot.append(button);
    // Articles offer to print themselves; without JavaScript the browser's own print remains.
    var print = document.getElementById('print-slot');
    if (print) {
      var p = document.createElement('button');
      p.type = 'button';
      p.className = 'print-button';
      p.textContent = '打印本页';
      p.addEventListener('click', function () { window.print(); });
      print.append(p);
    }
  });
})();
