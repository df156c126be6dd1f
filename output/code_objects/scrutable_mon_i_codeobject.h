#ifndef _INCLUDED_scrutable_mon_i_codeobject
#define _INCLUDED_scrutable_mon_i_codeobject

void _run_scrutable_mon_i_codeobject();

void _debugmsg_scrutable_mon_i_codeobject();

#endif
