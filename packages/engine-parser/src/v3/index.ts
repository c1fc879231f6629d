export const protocol = 3;
