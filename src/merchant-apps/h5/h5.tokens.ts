export const H5_ORDERS = Symbol('H5_ORDERS'); // H5Orders
export const H5_PAGES = Symbol('H5_PAGES'); // H5PagesOptions
