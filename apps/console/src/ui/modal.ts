/**
 * A `<dialog>` opened modally (the browser keeps focus inside it and closes it on Escape) whose
 * buttons marked `data-close` close it. Focus goes back to what had it before, as the browser
 * does for modal dialogs; it is set explicitly for the browsers that do not.
 */
export class Modal {
  private opener: HTMLElement | null = null;

  constructor(readonly dialog: HTMLDialogElement) {
    dialog.addEventListener('click', (event) => {
      if ((event.target as Element | null)?.closest('[data-close]')) this.close();
    });
    dialog.addEventListener('close', () => {
      this.opener?.focus();
      this.opener = null;
    });
  }

  /** Opens the dialog and focuses `focus` (default: the dialog's first focusable element). */
  open(focus?: HTMLElement): void {
    this.opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!this.dialog.open) this.dialog.showModal();
    focus?.focus();
  }

  /** Closes it (idempotent). */
  close(): void {
    if (this.dialog.open) this.dialog.close();
  }
}
