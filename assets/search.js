// brief's search box: Pagefind's own search API (pagefind.js, from the site's pagefind/
// folder) under a small interface of the theme's. Loaded by the box's script when a reader
// first focuses it or types in it. Results are links with the title, an excerpt whose
// matching words are marked, the section and the stamp date; the status line (a live
// region) says how many there are.

const SHOWN = 8;

export async function attach(form) {
  const root = form.dataset.root;
  const input = form.querySelector("input[type=search]");
  const status = form.querySelector("[role=status]");
  const list = form.querySelector(".site-search-results");
  let pagefind;
  try {
    pagefind = await import(root + "pagefind/pagefind.js");
    await pagefind.options({ basePath: root + "pagefind/", excerptLength: 24 });
    await pagefind.init();
  } catch {
    status.textContent = form.dataset.unavailable;
    return;
  }
  const show = async () => {
    const query = input.value.trim();
    if (query === "") {
      list.replaceChildren();
      status.textContent = "";
      return;
    }
    const search = await pagefind.debouncedSearch(query, {}, 150);
    // A later keystroke started another search; that one shows its results.
    if (search === null || input.value.trim() !== query) return;
    const found = await Promise.all(search.results.slice(0, SHOWN).map((r) => r.data()));
    if (input.value.trim() !== query) return;
    list.replaceChildren(...found.map(item));
    const n = search.results.length;
    // The theme's words in the page's language, from the form (templates/partials/search.html).
    const said = n === 0 ? "none" : n > SHOWN ? "more" : n === 1 ? "one" : "other";
    status.textContent = form.dataset[said]
      .replaceAll("{n}", String(n))
      .replaceAll("{shown}", String(SHOWN))
      // A function, so that a `$&` typed in the box is not read as a replacement pattern.
      .replaceAll("{query}", () => query);
  };
  input.addEventListener("input", show);
  form.addEventListener("submit", show);
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && input.value !== "") {
      input.value = "";
      show();
    }
  });
  show();
}

// One result: its title as a link, then the excerpt, then where it is and how current.
function item(data) {
  const li = document.createElement("li");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title ?? data.url;
  const title = document.createElement("p");
  title.className = "site-search-title";
  title.append(link);
  const excerpt = document.createElement("p");
  excerpt.className = "site-search-excerpt";
  excerpt.append(...marked(data.excerpt));
  li.append(title, excerpt);
  const about = [data.meta.section, data.meta.stamp].filter(Boolean).join(" · ");
  if (about) {
    const meta = document.createElement("p");
    meta.className = "site-search-meta";
    meta.textContent = about;
    li.append(meta);
  }
  return li;
}

// Pagefind's excerpt is text with the matching words in <mark>: built as nodes, never as
// markup, so that nothing in an article's text can become an element here.
function marked(excerpt) {
  const text = (s) => new DOMParser().parseFromString(s, "text/html").documentElement.textContent;
  return excerpt.split(/<mark>(.*?)<\/mark>/s).map((part, i) => {
    if (i % 2 === 0) return document.createTextNode(text(part));
    const mark = document.createElement("mark");
    mark.textContent = text(part);
    return mark;
  });
}
