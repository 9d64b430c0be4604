var probe = 2;
