/** Saves text as a file through the browser's download prompt. */
export function downloadFile(options: {
  name: string;
  type: string;
  content: string;
}): void {
  const url = URL.createObjectURL(
    new Blob([options.content], { type: options.type }),
  );
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = options.name;
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  URL.revokeObjectURL(url);
}
