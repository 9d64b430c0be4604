// Kommunkartan: the tooltip texts of the kommun map (escaped HTML), by kommun code. Generated.
(window.kk = window.kk || {}).props = window.kk.props || {};
kk.props["6bfe177fce046a0b"] = {"2584":["Kiruna"]};
