// Jest resolver: TypeScript names a `.cts` module by its output (`./x.cjs`); when no such file
// exists, resolve the `.cts` source beside it. Everything else resolves as jest always does.
module.exports = (request, options) => {
	try {
		return options.defaultResolver(request, options);
	} catch (error) {
		if (!/^\.{1,2}\/.*\.cjs$/.test(request)) throw error;
		return options.defaultResolver(request.replace(/\.cjs$/, '.cts'), options);
	}
};
