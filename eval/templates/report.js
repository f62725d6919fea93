// The report's filter: show the cases whose verdict, suite, tag and
// language match the chosen ones. Without this script every case shows.
(() => {
  const form = document.getElementById('filters');
  const cases = [...document.querySelectorAll('details.case')];
  const shown = document.getElementById('shown');
  const apply = () => {
    const f = Object.fromEntries(new FormData(form));
    let n = 0;
    for (const c of cases) {
      const d = c.dataset;
      const ok = (!f.verdict || (f.verdict === 'flaky' ? d.flaky === 'true' : d.status === f.verdict)) &&
        (!f.suite || d.suite === f.suite) &&
        (!f.tag || d.tags.split(' ').includes(f.tag)) &&
        (!f.locale || d.locale === f.locale);
      c.hidden = !ok;
      if (ok) n++;
    }
    shown.textContent = n + ' of ' + cases.length + ' cases';
  };
  form.hidden = false;
  form.addEventListener('change', apply);
  form.addEventListener('submit', (e) => e.preventDefault());
  apply();
})();
