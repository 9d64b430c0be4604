var probe = 1;
