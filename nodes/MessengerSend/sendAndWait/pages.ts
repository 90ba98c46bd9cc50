// The HTML pages a person sees in the browser after a tap: recorded, already answered, the form.

function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char);
}

function page(title: string, body: string): string {
	return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1c1e21}
textarea{width:100%;min-height:7rem;font:inherit;padding:.5rem;box-sizing:border-box}
button{font:inherit;padding:.6rem 1.2rem;margin-top:.8rem;border:0;border-radius:.4rem;background:#0866ff;color:#fff}
.problem{color:#b3261e}</style></head>
<body>${body}</body></html>`;
}

/** A page that only says something (e.g. to a link-preview fetcher: nothing was recorded). */
export function notePage(title: string, text: string): string {
	return page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>`);
}

/** The page a person sees after tapping an approval button. */
export function answeredPage(choice: string): string {
	return page('Answer recorded', `<h1>Thank you</h1><p>Your answer <strong>${escapeHtml(choice)}</strong> was recorded. You can close this page and go back to the chat.</p>`);
}

/**
 * The page of a tap that came too late: another tap (the other button, the same one twice, or
 * another person with the link) answered the question first, and only that answer counts.
 * `answer`: the answer that counts (a button's label), or empty (a written answer, not shown).
 */
export function alreadyAnsweredPage(answer: string): string {
	const which = answer ? ` <strong>${escapeHtml(answer)}</strong>` : '';
	return page(
		'Already answered',
		`<h1>Already answered</h1><p>This question was already answered${which}. Only that answer counts: nothing was changed. You can close this page and go back to the chat.</p>`,
	);
}

/** The short form a Free Text button opens; it posts back to the same signed URL. */
export function formPage(title: string, question: string, action: string, problem?: string): string {
	return page(
		title,
		`<h1>${escapeHtml(title)}</h1>${question ? `<p>${escapeHtml(question)}</p>` : ''}${problem ? `<p class="problem">${escapeHtml(problem)}</p>` : ''}
<form method="post" action="${escapeHtml(action)}"><label for="answer">Your answer</label>
<textarea id="answer" name="answer" required></textarea><button type="submit">Send</button></form>`,
	);
}
