// Kommunkartan: the tooltip texts of the kommun map (escaped HTML), by kommun code. Generated.
(window.kk = window.kk || {}).props = window.kk.props || {};
kk.props["a190d11832f33353"] = {"0561":["\u00c5tvidaberg"],"0685":["Vetlanda"],"0840":["M\u00f6rbyl\u00e5nga"],"1081":["Ronneby"],"1981":["Sala"],"2062":["Mora"],"2080":["Falun"],"2085":["Ludvika"],"2161":["Ljusdal"],"2182":["S\u00f6derhamn"],"2417":["Norsj\u00f6"],"2418":["Mal\u00e5"],"2422":["Sorsele"],"2462":["Vilhelmina"],"2480":["Ume\u00e5"]};
