/* Part of the iframe-worker 1.0.4 shim (npm: iframe-worker), Copyright (c) 2020-2022 Martin Donath,
   MIT licence; see iframe-worker.LICENSE. Runs inside the iframe the shim makes for the search
   worker: the worker's postMessage and importScripts. It was an inline script in the original;
   as a file, the site's Content-Security-Policy allows it without 'unsafe-inline'. */
"use strict";
(() => {
  const worker = document.currentScript.dataset.worker;
  self.postMessage = (message, origin) => parent.postMessage(message, origin || "*");
  self.importScripts = (...urls) =>
    urls.reduce(
      (previous, url) =>
        previous.then(
          () =>
            new Promise((resolve) => {
              const script = document.createElement("script");
              script.src = url;
              script.onload = resolve;
              document.body.appendChild(script);
            }),
        ),
      Promise.resolve(),
    );
  addEventListener("error", ({ error }) =>
    parent.dispatchEvent(new ErrorEvent("error", { filename: worker, error })),
  );
})();
